// Line numbers, warnings, schema errors and URL resolution for one parse.
#include "parse_context.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "dialtone/twiml/error.h"
#include "dialtone/twiml/url.h"
#include "text_util.h"

namespace dialtone::twiml {

ParseContext::ParseContext(std::string_view body, std::string_view document_url,
                           std::vector<TwimlWarning>* warnings)
    : body_(body), document_url_(document_url), warnings_(warnings) {}

int ParseContext::LineOfOffset(ptrdiff_t offset) {
  if (offset < 0) return 0;
  if (!indexed_) {
    // A guess (TwiML lines average more than 32 bytes) that spares most
    // reallocations without a counting pass over the body.
    newlines_.reserve(body_.size() / 32);
    for (size_t i = body_.find('\n'); i != std::string_view::npos; i = body_.find('\n', i + 1)) {
      newlines_.push_back(i);
    }
    indexed_ = true;
  }
  const size_t bounded = std::min(static_cast<size_t>(offset), body_.size());
  const auto before = std::lower_bound(newlines_.begin(), newlines_.end(), bounded);
  return static_cast<int>(before - newlines_.begin()) + 1;
}

int ParseContext::LineOf(const pugi::xml_node& node) {
  ptrdiff_t offset = node.offset_debug();
  if (offset >= 0 && node.type() == pugi::node_pcdata) {
    while (static_cast<size_t>(offset) < body_.size() && IsAsciiSpace(body_[offset])) ++offset;
  }
  return LineOfOffset(offset);
}

std::string ParseContext::Describe(const pugi::xml_node& node, int line) const {
  std::string out = "<" + ElementName(node) + ">";
  if (line > 0) absl::StrAppend(&out, " on line ", line);
  return out;
}

void ParseContext::Warn(const pugi::xml_node& node, std::string_view problem) {
  if (warnings_->size() > kMaxWarnings) return;
  const int line = LineOf(node);
  if (warnings_->size() == kMaxWarnings) {
    warnings_->push_back({line, "too many warnings; the rest are not reported"});
    return;
  }
  // The line is a field of its own, so the message leaves it out.
  std::string message(problem);
  if (node.type() == pugi::node_element) message = Describe(node, 0) + ": " + message;
  warnings_->push_back({line, std::move(message)});
}

absl::Status ParseContext::SchemaError(const pugi::xml_node& node, std::string_view problem) {
  const int line = LineOf(node);
  return TwimlError(kErrorSchemaValidation,
                    absl::StrCat(Describe(node, line), ": ", AsAbsl(problem)),
                    line > 0 ? std::optional<int>(line) : std::nullopt);
}

std::string ParseContext::ResolveUrl(std::string_view raw) const {
  return twiml::ResolveUrl(document_url_, TrimAscii(raw));
}

std::string ElementName(const pugi::xml_node& node) {
  constexpr size_t kMaxName = 64;
  const std::string_view name = node.name();
  std::string out = EscapeForMessage(name.substr(0, kMaxName));
  if (name.size() > kMaxName) out += "...";
  return out;
}

std::string QuoteValue(std::string_view value) {
  constexpr size_t kMaxQuoted = 64;
  std::string out = absl::StrCat("\"", EscapeForMessage(value.substr(0, kMaxQuoted)));
  absl::StrAppend(&out, value.size() > kMaxQuoted ? "...\"" : "\"");
  return out;
}

}  // namespace dialtone::twiml

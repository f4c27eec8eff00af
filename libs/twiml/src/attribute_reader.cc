// Parses and validates TwiML attribute values; collects unknown ones.
#include "attribute_reader.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "dialtone/twiml/url.h"
#include "dialtone/twiml/verbs.h"
#include "text_util.h"

namespace dialtone::twiml {
namespace {

// Whole decimal numbers only ("+5", "1e3", "0x10" are refused); nine digits
// at most, so the value always fits an int.
std::optional<int> ParseWholeNumber(std::string_view text) {
  text = TrimAscii(text);
  if (text.empty() || text.size() > 9) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (!IsAsciiDigit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

AttributeReader::AttributeReader(pugi::xml_node node, ParseContext& context)
    : node_(node), context_(context) {
  pugi::xml_attribute attribute = node.first_attribute();
  if (!attribute) return;
  // One allocation for most elements, rather than one per doubling (TwiML
  // elements often carry several attributes); a second walk to count them
  // would cost more, pugixml's accessors being calls into a shared library.
  constexpr size_t kUsualMaximum = 8;
  attributes_.reserve(kUsualMaximum);
  for (; attribute; attribute = attribute.next_attribute()) {
    attributes_.push_back({attribute.name(), attribute.value()});
  }
}

std::optional<std::string_view> AttributeReader::Take(const char* name) {
  const std::string_view wanted(name);
  std::optional<std::string_view> value;
  for (Attribute& attribute : attributes_) {
    // The size and first letter settle most mismatches without a memcmp call.
    if (attribute.name.size() != wanted.size()) continue;
    if (!wanted.empty() && attribute.name[0] != wanted[0]) continue;
    if (attribute.name != wanted) continue;
    if (!value) value = attribute.value;  // the first of duplicates wins
    attribute.used = true;
  }
  return value;
}

void AttributeReader::Fail(const char* name, std::string_view value, std::string_view expected) {
  if (!status_.ok()) return;
  status_ = context_.SchemaError(node_, absl::StrCat(name, "=", QuoteValue(value),
                                                     " is invalid: expected ", AsAbsl(expected)));
}

std::string AttributeReader::String(const char* name, std::string fallback) {
  std::optional<std::string_view> value = Take(name);
  return value ? std::string(*value) : std::move(fallback);
}

int AttributeReader::Int(const char* name, int fallback, int min, int max) {
  return OptionalInt(name, min, max).value_or(fallback);
}

std::optional<int> AttributeReader::OptionalInt(const char* name, int min, int max) {
  std::optional<std::string_view> value = Take(name);
  if (!value) return std::nullopt;
  std::optional<int> number = ParseWholeNumber(*value);
  if (!number || *number < min || *number > max) {
    Fail(name, *value, absl::StrCat("a whole number from ", min, " to ", max));
    return std::nullopt;
  }
  return number;
}

int AttributeReader::Loop(const char* name) {
  std::optional<std::string_view> value = Take(name);
  if (!value) return 1;
  std::optional<int> number = ParseWholeNumber(*value);
  if (!number) {
    Fail(name, *value, "a whole number (0 repeats)");
    return 1;
  }
  if (*number > kMaxLoop) {
    context_.Warn(node_, absl::StrCat(name, "=", *number, " is capped at ", kMaxLoop));
  }
  return *number == 0 ? kMaxLoop : std::min(*number, kMaxLoop);
}

bool AttributeReader::Bool(const char* name, bool fallback) {
  std::optional<std::string_view> value = Take(name);
  if (!value) return fallback;
  const std::string_view text = TrimAscii(*value);
  if (EqualsIgnoreCase(text, "true")) return true;
  if (EqualsIgnoreCase(text, "false")) return false;
  Fail(name, *value, "true or false");
  return fallback;
}

HttpMethod AttributeReader::Method(const char* name) {
  std::optional<std::string_view> value = Take(name);
  if (!value) return HttpMethod::kPost;
  const std::string_view text = TrimAscii(*value);
  if (EqualsIgnoreCase(text, "GET")) return HttpMethod::kGet;
  if (EqualsIgnoreCase(text, "POST")) return HttpMethod::kPost;
  Fail(name, *value, "GET or POST");
  return HttpMethod::kPost;
}

std::string AttributeReader::Url(const char* name, std::string fallback) {
  std::optional<std::string_view> value = Take(name);
  if (!value || TrimAscii(*value).empty()) return fallback;
  std::string url = context_.ResolveUrl(*value);
  if (!IsHttpUrl(url) && IsAbsoluteUrl(url)) {  // the usual http(s) URL: one test
    Fail(name, *value, "an http or https URL");
    return fallback;
  }
  return url;
}

std::string AttributeReader::WebSocketUrl(const char* name) {
  std::optional<std::string_view> value = Take(name);
  if (!value) return "";
  const std::string_view url = TrimAscii(*value);
  if (url.empty()) return "";
  if (!IsWebSocketUrl(url)) {
    Fail(name, *value, "an absolute ws:// or wss:// URL");
    return "";
  }
  return std::string(url);
}

std::string AttributeReader::OneOf(const char* name, std::string fallback,
                                   std::initializer_list<std::string_view> allowed) {
  std::optional<std::string_view> value = Take(name);
  if (!value) return fallback;
  const std::string_view text = TrimAscii(*value);
  for (std::string_view candidate : allowed) {
    if (text == candidate) return std::string(candidate);
  }
  Fail(name, *value, absl::StrCat("one of ", Join(allowed, ", ")));
  return fallback;
}

std::string AttributeReader::Events(const char* name, std::string fallback,
                                    std::initializer_list<std::string_view> allowed) {
  std::optional<std::string_view> value = Take(name);
  if (!value) return fallback;
  // The words of SplitWords(*value) joined by one space, built in one pass
  // (a test per character, where find_first_of calls memchr per character).
  const auto is_separator = [](char c) {
    return c == ' ' || c == ',' || c == '\t' || c == '\r' || c == '\n';
  };
  std::string events;
  events.reserve(value->size());
  const std::string_view text = *value;
  for (size_t i = 0; i < text.size();) {
    if (is_separator(text[i])) {
      ++i;
      continue;
    }
    size_t end = i + 1;
    while (end < text.size() && !is_separator(text[end])) ++end;
    const std::string_view event = text.substr(i, end - i);
    i = end;
    if (std::find(allowed.begin(), allowed.end(), event) == allowed.end()) {
      Fail(name, *value, absl::StrCat("space-separated events among ", Join(allowed, ", ")));
      return fallback;
    }
    if (!events.empty()) events += ' ';
    events.append(event);
  }
  return events;
}

std::string AttributeReader::IntOrKeyword(const char* name, std::string_view keyword, int min,
                                          int max) {
  std::optional<std::string_view> value = Take(name);
  if (!value) return "";
  const std::string_view text = TrimAscii(*value);
  if (text == keyword) return std::string(keyword);
  std::optional<int> number = ParseWholeNumber(text);
  if (!number || *number < min || *number > max) {
    Fail(name, *value, absl::StrCat(AsAbsl(keyword), " or a whole number from ", min, " to ", max));
    return "";
  }
  return absl::StrCat(*number);
}

std::string AttributeReader::Keys(const char* name, std::string fallback, std::string_view allowed,
                                  size_t max_size) {
  std::optional<std::string_view> value = Take(name);
  if (!value) return fallback;
  const std::string_view text = TrimAscii(*value);
  const bool valid = text.size() <= max_size && std::all_of(text.begin(), text.end(), [&](char c) {
                       return allowed.find(c) != std::string_view::npos;
                     });
  if (!valid) {
    Fail(name, *value, absl::StrCat("at most ", max_size, " of the characters ", AsAbsl(allowed)));
    return fallback;
  }
  return std::string(text);
}

StatusCallback AttributeReader::Callback(const char* url, const char* method, const char* events,
                                         std::string default_events,
                                         std::initializer_list<std::string_view> allowed) {
  StatusCallback callback;
  callback.url = Url(url, "");
  callback.method = Method(method);
  callback.events = Events(events, std::move(default_events), allowed);
  return callback;
}

void AttributeReader::Unsupported(std::initializer_list<const char*> names) {
  // No parser lists a name it also reads, so once every attribute has been
  // read none of `names` can be present: the usual case, with no lookups.
  if (std::all_of(attributes_.begin(), attributes_.end(),
                  [](const Attribute& attribute) { return attribute.used; })) {
    return;
  }
  for (const char* name : names) {
    if (Take(name)) {
      context_.Warn(
          node_, absl::StrCat("attribute ", name, " is not supported by Dialtone and is ignored"));
    }
  }
}

absl::Status AttributeReader::Finish() {
  if (!status_.ok()) return status_;
  for (const Attribute& attribute : attributes_) {
    if (attribute.used || attribute.name.starts_with("xmlns")) continue;
    context_.Warn(node_,
                  absl::StrCat("unknown attribute ", QuoteValue(attribute.name), " is ignored"));
  }
  return absl::OkStatus();
}

}  // namespace dialtone::twiml

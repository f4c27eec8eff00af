// Per-document state shared by the TwiML verb parsers (internal to domain).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "dialtone/twiml/program.h"
#include "pugixml.hpp"

namespace dialtone::twiml {

// Knows the raw body (to turn pugixml offsets into line numbers), the
// document URL (to resolve relative URLs) and collects warnings.
// Example: ParseContext context(body, url, &program.warnings);
//          return context.SchemaError(node, "needs a URL");
// Pure, any thread; one instance per parse.
class ParseContext {
 public:
  // Past this many warnings, one last warning says the rest were dropped.
  static constexpr size_t kMaxWarnings = 100;

  ParseContext(std::string_view body, std::string_view document_url,
               std::vector<TwimlWarning>* warnings);

  // 1-based line of the byte at `offset` in the body; 0 when unknown.
  int LineOfOffset(ptrdiff_t offset);
  // For text, the line of its first non-blank character.
  int LineOf(const pugi::xml_node& node);

  void Warn(const pugi::xml_node& node, std::string_view problem);

  // Error 12200 naming the element and its line: "<Say> on line 3: problem".
  absl::Status SchemaError(const pugi::xml_node& node, std::string_view problem);

  // Trims `raw` and resolves it against the document URL.
  std::string ResolveUrl(std::string_view raw) const;

  std::string_view document_url() const { return document_url_; }

 private:
  std::string Describe(const pugi::xml_node& node, int line) const;

  std::string_view body_;
  std::string_view document_url_;
  std::vector<TwimlWarning>* warnings_;
  std::vector<size_t> newlines_;  // offsets of '\n', built on first use
  bool indexed_ = false;
};

// An element's name made safe for a message: escaped, at most 64 bytes.
std::string ElementName(const pugi::xml_node& node);

// Quotes an untrusted value for a message: escaped and at most 64 bytes.
std::string QuoteValue(std::string_view value);

}  // namespace dialtone::twiml

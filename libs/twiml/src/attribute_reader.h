// Typed access to a TwiML element's attributes (internal to domain).
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "dialtone/twiml/nouns.h"
#include "parse_context.h"
#include "pugixml.hpp"

namespace dialtone::twiml {

// Reads the attributes of one element. Each getter returns the parsed value,
// or its fallback when the attribute is absent; a bad value records the
// first error (12200) and Finish() returns it. Finish() also warns about
// attributes nobody asked for, as Twilio does with unknown attributes.
// Example:
//   AttributeReader attributes(node, context);
//   say.loop = attributes.Loop("loop");
//   if (absl::Status s = attributes.Finish(); !s.ok()) return s;
// Pure, any thread; one instance per element.
class AttributeReader {
 public:
  AttributeReader(pugi::xml_node node, ParseContext& context);

  std::string String(const char* name, std::string fallback);
  int Int(const char* name, int fallback, int min, int max);
  std::optional<int> OptionalInt(const char* name, int min, int max);
  int Loop(const char* name);  // loop="0" and values over kMaxLoop give kMaxLoop
  bool Bool(const char* name, bool fallback);
  HttpMethod Method(const char* name);                      // GET or POST (any case), default POST
  std::string Url(const char* name, std::string fallback);  // resolved
  // An absolute ws:// or wss:// URL (IsWebSocketUrl), trimmed, never resolved; "" when absent.
  std::string WebSocketUrl(const char* name);
  std::string OneOf(const char* name, std::string fallback,
                    std::initializer_list<std::string_view> allowed);
  // Space-separated subset of `allowed`, e.g. statusCallbackEvent.
  std::string Events(const char* name, std::string fallback,
                     std::initializer_list<std::string_view> allowed);
  // A whole number from min to max, or exactly `keyword`; "" when absent.
  std::string IntOrKeyword(const char* name, std::string_view keyword, int min, int max);
  // Characters from `allowed`, at most `max_size` of them (finishOnKey...).
  std::string Keys(const char* name, std::string fallback, std::string_view allowed,
                   size_t max_size);
  StatusCallback Callback(const char* url, const char* method, const char* events,
                          std::string default_events,
                          std::initializer_list<std::string_view> allowed_events);
  // Attributes Twilio knows that Dialtone ignores: a warning, not an error.
  void Unsupported(std::initializer_list<const char*> names);

  absl::Status Finish();

 private:
  std::optional<std::string_view> Take(const char* name);
  void Fail(const char* name, std::string_view value, std::string_view expected);

  struct Attribute {
    std::string_view name;
    std::string_view value;
    bool used = false;
  };

  pugi::xml_node node_;
  ParseContext& context_;
  // Read once: lookups compare views instead of walking pugixml's list.
  std::vector<Attribute> attributes_;
  absl::Status status_;
};

}  // namespace dialtone::twiml

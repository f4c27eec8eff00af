// A small deterministic JSON writer (pretty-printed, valid UTF-8 out).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dialtone::twiml {

// Writes JSON in call order, two-space indented, so that equal inputs give
// byte-equal output (golden files, dialtonectl). Invalid UTF-8 in strings
// becomes U+FFFD, since TwiML text is untrusted.
// Example:
//   JsonWriter json;
//   json.BeginObject(); json.Key("line"); json.Int(3); json.EndObject();
//   std::string text = json.Release();  // "{\n  \"line\": 3\n}"
// Pure, any thread; one instance per document.
class JsonWriter {
 public:
  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Key(std::string_view key);
  void String(std::string_view value);
  void Int(int64_t value);
  void Bool(bool value);
  void Null();

  // Key followed by its value, the common case.
  void Field(std::string_view key, std::string_view value);
  void Field(std::string_view key, const char* value);
  void Field(std::string_view key, int value);
  void Field(std::string_view key, bool value);

  std::string Release() { return std::move(out_); }

 private:
  struct Level {
    bool empty = true;
  };
  void BeforeValue();
  void Close(char bracket);
  void NewLine();

  std::string out_;
  std::vector<Level> levels_;
  bool after_key_ = false;
};

// Appends `value` as a quoted JSON string to `out`.
void AppendJsonString(std::string_view value, std::string& out);

}  // namespace dialtone::twiml

// TwilioEnumText.
#include "dialtone/rpc/twilio_enum.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"

namespace dialtone::rpc {

std::string TwilioEnumText(const google::protobuf::EnumValueDescriptor* v) {
  const google::protobuf::EnumDescriptor* e = v->type();
  if (e->name() == "HttpMethod") return v->number() == 1 ? "GET" : "POST";
  // Value names carry the enum's prefix: CALL_STATUS_IN_PROGRESS for CallStatus.
  std::string prefix;
  for (char c : e->name()) {
    if (absl::ascii_isupper(static_cast<unsigned char>(c)) && !prefix.empty()) prefix += '_';
    prefix += absl::ascii_toupper(static_cast<unsigned char>(c));
  }
  prefix += '_';
  std::string name = v->name();
  if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
  return absl::StrReplaceAll(absl::AsciiStrToLower(name), {{"_", "-"}});
}

}  // namespace dialtone::rpc

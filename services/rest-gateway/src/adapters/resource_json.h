// Twilio's JSON for resources that arrive from other services as protobuf messages, and the
// form parameters that fill them: PascalCase parameters <-> snake_case fields, enums as Twilio's
// strings, timestamps in RFC 2822, unset optional fields as null.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include <google/protobuf/message.h>
#include <boost/json/object.hpp>

#include "absl/status/status.h"

namespace dialtone::rest_gateway {

// "VoiceUrl" -> "voice_url", "VoiceCallerIdLookup" -> "voice_caller_id_lookup".
std::string ParamToField(const std::string& param);

// Every set or scalar field of `m`: strings and numbers as they are, HttpMethod as GET/POST,
// other enums as Twilio's hyphenated lowercase (in-progress), timestamps in RFC 2822 or null,
// optional fields without a value as null. `drop` removes fields Twilio's resource lacks.
boost::json::object MessageToJson(const google::protobuf::Message& m,
                                  const std::vector<std::string>& drop = {});

// Sets the fields named by form parameters; returns the snake_case names set. Unknown
// parameters are ignored, as Twilio does; `immutable` ones and bad values are InvalidArgument
// (message names the parameter).
// Empty reference fields are null in Twilio's JSON, never "": sets each of `fields` that holds
// "" to null.
void NullIfEmpty(boost::json::object& o, std::initializer_list<const char*> fields);

absl::Status FormToMessage(const std::vector<std::pair<std::string, std::string>>& params,
                           const std::vector<std::string>& immutable, google::protobuf::Message* m,
                           std::vector<std::string>* set_fields);

}  // namespace dialtone::rest_gateway

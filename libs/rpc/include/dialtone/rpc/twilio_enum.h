// How a contract enum value reads in Twilio's API and in our tables. Pure.
#pragma once

#include <string>

#include <google/protobuf/descriptor.h>

namespace dialtone::rpc {

// HttpMethod values read GET / POST (UNSPECIFIED: POST, Twilio's default); any other value drops
// its enum's prefix and reads lowercase with '-' for '_': CALL_STATUS_IN_PROGRESS -> in-progress.
std::string TwilioEnumText(const google::protobuf::EnumValueDescriptor* value);

}  // namespace dialtone::rpc

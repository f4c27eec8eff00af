// Twilio's error codes (https://www.twilio.com/docs/api/errors) carried inside absl::Status: the
// one way every library and service marks an error with the code the REST API answers. Over gRPC
// the code travels in the status details (libs/rpc: ToGrpcStatus / FromGrpcStatus).
#pragma once

#include <string>

#include "absl/status/status.h"

namespace dialtone::core {

// The requested resource was not found (a NotFound status without a code of its own).
inline constexpr int kTwilioNotFound = 20404;

// A status of `code` carrying `twilio_code`.
//   return TwilioStatus(absl::StatusCode::kInvalidArgument, 21205, "Url is not a valid URL");
absl::Status TwilioStatus(absl::StatusCode code, int twilio_code, std::string message);

// The Twilio code `status` carries, or 0.
int TwilioCodeOf(const absl::Status& status);

}  // namespace dialtone::core

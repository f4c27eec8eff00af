// Twilio error codes of the media layer, carried inside absl::Status payloads.
#pragma once

#include <string>

#include "absl/status/status.h"

namespace dialtone::media_layer {

// https://www.twilio.com/docs/api/errors
inline constexpr int kErrorInvalidUrl = 11100;      // Invalid URL format
inline constexpr int kErrorHttpRetrieval = 11200;   // non-2xx, timeout, over the size limit
inline constexpr int kErrorHttpConnection = 11205;  // connection refused or reset
inline constexpr int kErrorHttpBadHost = 11210;     // host name does not resolve
inline constexpr int kErrorTooManyRedirects = 11215;
inline constexpr int kErrorSslHandshake = 11220;
inline constexpr int kErrorInvalidContentType = 12300;  // not audio, or audio we cannot decode
inline constexpr int kErrorSayInvalidLanguage = 13511;  // Say: invalid language value
inline constexpr int kErrorSayInvalidText = 13520;      // Say: empty or unparsable text

// A status with `code` (absl) and the Twilio `twilio_code` as payload, so that adapters map it
// to gRPC trailers and Twilio error JSON without parsing the message. The message is prefixed
// with the Twilio code ("[11200] ...") so that it reads well in logs and in plain gRPC clients.
// Pure, any thread.
absl::Status MediaError(absl::StatusCode code, int twilio_code, const std::string& message);

// The Twilio code of a status built by MediaError, or 0 when it carries none.
int TwilioCode(const absl::Status& status);

}  // namespace dialtone::media_layer

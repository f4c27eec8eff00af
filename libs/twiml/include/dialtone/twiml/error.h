// Twilio error codes for TwiML problems, carried inside absl::Status payloads.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"

namespace dialtone::twiml {

// The Twilio codes the TwiML engine reports (https://www.twilio.com/docs/api/errors).
inline constexpr int kErrorBodyTooLarge = 11750;      // response body over 64 kB
inline constexpr int kErrorDocumentParse = 12100;     // not well-formed, no <Response>
inline constexpr int kErrorSchemaValidation = 12200;  // unknown verb, nesting, value
inline constexpr int kErrorInvalidContentType = 12300;

// Builds an InvalidArgument status whose payload carries `code` (and the
// document line when known), so that adapters map it to Twilio's error JSON
// and to ErrorCode on fallback requests without parsing the message.
// Example: return TwimlError(kErrorSchemaValidation, "<Say> ...", 4);
// Pure, any thread.
absl::Status TwimlError(int code, std::string message, std::optional<int> line = std::nullopt);

// The Twilio code of a status built by TwimlError, or 0 when it has none.
int TwilioErrorCode(const absl::Status& status);

// The 1-based document line of a TwimlError, when it was known.
std::optional<int> TwimlErrorLine(const absl::Status& status);

}  // namespace dialtone::twiml

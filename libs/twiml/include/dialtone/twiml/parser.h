// Entry point of the TwiML engine: raw HTTP response -> typed Program.
#pragma once

#include <cstddef>
#include <string_view>

#include "absl/status/statusor.h"
#include "dialtone/twiml/program.h"

namespace dialtone::twiml {

// Twilio refuses TwiML bodies over 64 kB with error 11750.
inline constexpr size_t kMaxTwimlBodyBytes = 64 * 1024;

// Parses the body of a voice application's response, given its Content-Type
// header and the URL it came from (relative URLs are resolved against it;
// it is the default action of <Gather> and <Record>; empty leaves them
// unresolved, as `dialtonectl twiml check FILE` does).
//
// Errors carry Twilio codes (TwilioErrorCode): 12300 for a content type that
// is neither TwiML, text nor audio; 11750 for a body over 64 kB; 12100 for
// XML that is not well-formed or whose root is not <Response>; 12200 for an
// unknown verb, bad nesting or a bad attribute value, with its line
// (TwimlErrorLine). Unknown attributes only add warnings to the Program.
//
// Any bytes are safe input: no exception, no unbounded recursion, no entity
// expansion (pugixml expands only the five predefined entities), so a fuzzer
// can call it directly.
// Example:
//   absl::StatusOr<Program> program = ParseTwiml(
//       "<Response><Say>Hi</Say></Response>", "text/xml",
//       "https://app.example.com/voice");
// Pure, any thread.
absl::StatusOr<Program> ParseTwiml(std::string_view body, std::string_view content_type,
                                   std::string_view document_url);

}  // namespace dialtone::twiml

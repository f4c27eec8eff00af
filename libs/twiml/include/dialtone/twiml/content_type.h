// Which kinds of HTTP response a voice application may answer with.
#pragma once

#include <string_view>

#include "absl/status/statusor.h"

namespace dialtone::twiml {

// How a fetched document is run, after Twilio's "Your Response" page:
// text/xml, application/xml and text/html are TwiML; text/plain is read out
// (a <Say>) and the call hangs up; an audio type is played (a <Play> of the
// document URL) and the call hangs up.
enum class DocumentKind { kTwiml, kPlainText, kAudio };

// Classifies a Content-Type header value (parameters such as charset and the
// case of the media type are ignored). Anything else, or an empty value, is
// error 12300. The HTTP client can call this before reading the body, to
// refuse early and to skip the 64 kB limit for audio.
// Example: ClassifyContentType("text/xml; charset=utf-8") -> kTwiml.
// Pure, any thread.
absl::StatusOr<DocumentKind> ClassifyContentType(std::string_view content_type);

}  // namespace dialtone::twiml

// Maps Content-Type values to TwiML, plain text or audio (else error 12300).
#include "dialtone/twiml/content_type.h"

#include <array>
#include <string>

#include "absl/strings/str_cat.h"
#include "dialtone/twiml/error.h"
#include "text_util.h"

namespace dialtone::twiml {
namespace {

// The audio types Twilio's <Play> documentation lists.
constexpr std::array<std::string_view, 10> kAudioTypes = {
    "audio/mpeg",   "audio/wav",    "audio/wave",  "audio/x-wav", "audio/aiff",
    "audio/x-aifc", "audio/x-aiff", "audio/x-gsm", "audio/gsm",   "audio/ulaw"};

}  // namespace

absl::StatusOr<DocumentKind> ClassifyContentType(std::string_view content_type) {
  const std::string media_type =
      ToLowerAscii(TrimAscii(content_type.substr(0, content_type.find(';'))));
  if (media_type == "text/xml" || media_type == "application/xml" || media_type == "text/html") {
    return DocumentKind::kTwiml;
  }
  if (media_type == "text/plain") return DocumentKind::kPlainText;
  for (std::string_view audio : kAudioTypes) {
    if (media_type == audio) return DocumentKind::kAudio;
  }
  // Bound what we echo back: the header comes from an untrusted server.
  return TwimlError(kErrorInvalidContentType,
                    absl::StrCat("Content-Type '", EscapeForMessage(content_type.substr(0, 100)),
                                 "' is not TwiML (expected text/xml, "
                                 "application/xml, text/html, text/plain or audio)"));
}

}  // namespace dialtone::twiml

// The media layer's errors: Twilio codes (libs/core) with the code in the message too.
#include "domain/media_error.h"

#include "absl/strings/str_cat.h"
#include "dialtone/core/twilio_error.h"

namespace dialtone::media_layer {
absl::Status MediaError(absl::StatusCode code, int twilio_code, const std::string& message) {
  return core::TwilioStatus(code, twilio_code, absl::StrCat("[", twilio_code, "] ", message));
}

int TwilioCode(const absl::Status& status) { return core::TwilioCodeOf(status); }

}  // namespace dialtone::media_layer

// Encodes Twilio error codes as absl::Status payloads.
#include "domain/media_error.h"

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace dialtone::media_layer {
namespace {
constexpr char kCodePayload[] = "type.dialtone.dev/twilio-error-code";
}  // namespace

absl::Status MediaError(absl::StatusCode code, int twilio_code, const std::string& message) {
  absl::Status status(code, absl::StrCat("[", twilio_code, "] ", message));
  status.SetPayload(kCodePayload, absl::Cord(absl::StrCat(twilio_code)));
  return status;
}

int TwilioCode(const absl::Status& status) {
  auto payload = status.GetPayload(kCodePayload);
  int value = 0;
  if (!payload || !absl::SimpleAtoi(std::string(*payload), &value)) return 0;
  return value;
}

}  // namespace dialtone::media_layer

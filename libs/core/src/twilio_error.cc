// Twilio codes as an absl::Status payload (its type URL names it; the value is the decimal code).
#include "dialtone/core/twilio_error.h"

#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace dialtone::core {
namespace {
constexpr char kCodePayload[] = "type.dialtone.dev/twilio-error-code";
}  // namespace

absl::Status TwilioStatus(absl::StatusCode code, int twilio_code, std::string message) {
  absl::Status status(code, std::move(message));
  if (!status.ok()) status.SetPayload(kCodePayload, absl::Cord(absl::StrCat(twilio_code)));
  return status;
}

int TwilioCodeOf(const absl::Status& status) {
  auto payload = status.GetPayload(kCodePayload);
  int code = 0;
  if (!payload || !absl::SimpleAtoi(std::string(*payload), &code)) return 0;
  return code;
}

}  // namespace dialtone::core

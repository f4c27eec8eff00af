// TwiML errors: Twilio codes (libs/core) and document lines as absl::Status payloads.
#include "dialtone/twiml/error.h"

#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "dialtone/core/twilio_error.h"

namespace dialtone::twiml {
namespace {

constexpr char kLinePayload[] = "type.dialtone.dev/twiml-line";

std::optional<int> IntPayload(const absl::Status& status, const char* key) {
  absl::optional<absl::Cord> payload = status.GetPayload(key);
  int value = 0;
  if (!payload || !absl::SimpleAtoi(std::string(*payload), &value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

absl::Status TwimlError(int code, std::string message, std::optional<int> line) {
  absl::Status status =
      core::TwilioStatus(absl::StatusCode::kInvalidArgument, code, std::move(message));
  if (line) status.SetPayload(kLinePayload, absl::Cord(absl::StrCat(*line)));
  return status;
}

int TwilioErrorCode(const absl::Status& status) { return core::TwilioCodeOf(status); }

std::optional<int> TwimlErrorLine(const absl::Status& status) {
  return IntPayload(status, kLinePayload);
}

}  // namespace dialtone::twiml

// Encodes Twilio error codes and document lines as absl::Status payloads.
#include "dialtone/twiml/error.h"

#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace dialtone::twiml {
namespace {

constexpr char kCodePayload[] = "type.dialtone.dev/twilio-error-code";
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
  absl::Status status = absl::InvalidArgumentError(std::move(message));
  status.SetPayload(kCodePayload, absl::Cord(absl::StrCat(code)));
  if (line) status.SetPayload(kLinePayload, absl::Cord(absl::StrCat(*line)));
  return status;
}

int TwilioErrorCode(const absl::Status& status) {
  return IntPayload(status, kCodePayload).value_or(0);
}

std::optional<int> TwimlErrorLine(const absl::Status& status) {
  return IntPayload(status, kLinePayload);
}

}  // namespace dialtone::twiml

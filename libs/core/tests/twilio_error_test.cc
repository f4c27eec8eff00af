// Twilio codes ride inside absl::Status and come back out unchanged.
#include <catch2/catch.hpp>

#include "dialtone/core/twilio_error.h"

using dialtone::core::TwilioCodeOf;
using dialtone::core::TwilioStatus;

TEST_CASE("A Twilio status keeps its code, its absl code and its message") {
  absl::Status s = TwilioStatus(absl::StatusCode::kFailedPrecondition, 11200, "fetch failed");
  CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(s.message() == "fetch failed");
  CHECK(TwilioCodeOf(s) == 11200);
}

TEST_CASE("A status without a Twilio code reads 0") {
  CHECK(TwilioCodeOf(absl::NotFoundError("x")) == 0);
  CHECK(TwilioCodeOf(absl::OkStatus()) == 0);
  CHECK(TwilioCodeOf(TwilioStatus(absl::StatusCode::kOk, 21205, "")) == 0);
}

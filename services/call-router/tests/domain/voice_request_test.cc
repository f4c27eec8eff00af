// Voice requests carry Twilio's parameters; status callbacks go out only for the events asked
// for, numbered in order, with the duration once the call has completed.
#include <catch2/catch.hpp>

#include "absl/time/civil_time.h"
#include "calls/voice_request.h"

using namespace dialtone::call_router;

namespace {

std::string Get(const RequestParams& p, const std::string& name) {
  for (const auto& [k, v] : p) {
    if (k == name) return v;
  }
  return "<absent>";
}

CallFacts Facts(std::string status) {
  return {.call_sid = "CA0123456789abcdef0123456789abcdef",
          .account_sid = "AC0123456789abcdef0123456789abcdef",
          .from = "+15005550006",
          .to = "+15005550001",
          .call_status = std::move(status)};
}

}  // namespace

TEST_CASE("A voice request names the call, both parties and the API version") {
  RequestParams p = VoiceRequestParams(Facts("ringing"));
  CHECK(Get(p, "CallSid") == "CA0123456789abcdef0123456789abcdef");
  CHECK(Get(p, "Caller") == "+15005550006");
  CHECK(Get(p, "Called") == "+15005550001");
  CHECK(Get(p, "Direction") == "inbound");
  CHECK(Get(p, "ApiVersion") == "2010-04-01");
  CHECK(Get(p, "ParentCallSid") == "<absent>");
}

TEST_CASE("Without StatusCallbackEvent only completed is sent") {
  StatusCallbackSequencer seq({});
  absl::Time now = absl::FromUnixSeconds(1795000000);
  CHECK_FALSE(seq.Next(CallEvent::kRinging, Facts("ringing"), now).has_value());
  CHECK_FALSE(seq.Next(CallEvent::kAnswered, Facts("in-progress"), now).has_value());
  CallFacts done = Facts("completed");
  done.duration_seconds = 42;
  auto p = seq.Next(CallEvent::kCompleted, done, now);
  REQUIRE(p.has_value());
  CHECK(Get(*p, "SequenceNumber") == "0");
  CHECK(Get(*p, "CallDuration") == "42");
  CHECK(Get(*p, "CallStatus") == "completed");
  CHECK(Get(*p, "Timestamp") ==
        absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", now, absl::UTCTimeZone()));
}

TEST_CASE("Requested events are numbered from 0 in the order they happen") {
  auto events = ParseStatusCallbackEvents({"initiated ringing", "answered", "completed"});
  REQUIRE(events.ok());
  StatusCallbackSequencer seq(*events);
  absl::Time t = absl::FromUnixSeconds(1795000000);
  CHECK(Get(*seq.Next(CallEvent::kInitiated, Facts("queued"), t), "SequenceNumber") == "0");
  CHECK(Get(*seq.Next(CallEvent::kRinging, Facts("ringing"), t), "SequenceNumber") == "1");
  auto answered = seq.Next(CallEvent::kAnswered, Facts("in-progress"), t);
  CHECK(Get(*answered, "SequenceNumber") == "2");
  CHECK(Get(*answered, "CallDuration") == "<absent>");
  CHECK(Get(*seq.Next(CallEvent::kCompleted, Facts("completed"), t), "SequenceNumber") == "3");
}

TEST_CASE("Unknown status callback events are refused") {
  CHECK_FALSE(ParseStatusCallbackEvents({"ringing hungup"}).ok());
  CHECK(ParseStatusCallbackEvents({"ringing ringing"})->size() == 1);
}

TEST_CASE("A call ended for a dead router reports completed after the events it had sent") {
  CallFacts f{.call_sid = "CA1",
              .account_sid = "AC1",
              .from = "+15005550100",
              .to = "+15005550101",
              .direction = "outbound-api",
              .call_status = "completed",
              .duration_seconds = 30};
  auto events = *ParseStatusCallbackEvents({"initiated ringing answered completed"});
  CHECK(CallEventsText(events) == "initiated ringing answered completed");
  auto answered = AbandonedCallCallback(events, f, true, absl::Now());
  REQUIRE(answered);
  CHECK(Get(*answered, "CallStatus") == "completed");
  CHECK(Get(*answered, "SequenceNumber") == "3");  // initiated 0, ringing 1, answered 2
  CHECK(Get(*answered, "CallDuration") == "30");

  f.call_status = "failed";
  f.duration_seconds = 0;
  auto unanswered = AbandonedCallCallback(events, f, false, absl::Now());
  REQUIRE(unanswered);
  CHECK(Get(*unanswered, "CallStatus") == "failed");
  CHECK(Get(*unanswered, "SequenceNumber") == "2");  // never answered

  // A number's callback (no events asked for) hears only completed: its first callback.
  auto plain = AbandonedCallCallback({}, f, true, absl::Now());
  REQUIRE(plain);
  CHECK(Get(*plain, "SequenceNumber") == "0");
  CHECK_FALSE(AbandonedCallCallback(*ParseStatusCallbackEvents({"ringing"}), f, true, absl::Now()));
}

// Executor scenarios for Record and Dial: action requests, fall-through,
// answerOnBridge, and the caller hanging up while they run.
#include <catch2/catch.hpp>

#include "calls/call_executor.h"
#include "executor_harness.h"

namespace dialtone::call_router {
namespace {

using testing::CallHarness;
using testing::Parameters;
using testing::Transcript;

RecordingDone Recording(uint64_t operation, std::string url, int seconds, std::string key = "") {
  RecordingDone done;
  done.operation = operation;
  done.url = std::move(url);
  done.sid = "RE0123456789abcdef0123456789abcdef";
  done.duration_seconds = seconds;
  done.finished_on_key = std::move(key);
  return done;
}

DialResult Dialled(uint64_t operation, DialCallStatus status, int seconds = 0) {
  DialResult result;
  result.operation = operation;
  result.status = status;
  result.call_sid = "CA0123456789abcdef0123456789abcdef";
  result.duration_seconds = seconds;
  return result;
}

TEST_CASE("Record posts the recording to its action and replaces the document", "[executor]") {
  CallHarness call;
  CHECK(call.StartWith("<Response><Record action=\"/vm\" maxLength=\"30\"/><Say>never</Say>"
                       "</Response>") == Transcript{"Answer", "Record"});
  CHECK(call.Last<RecordCommand>().options.max_length == 30);
  CHECK(call.Apply(Recording(call.operation(), "https://media/RE1", 12, "#")) ==
        Transcript{"Fetch POST https://app.example.com/vm"});
  CHECK(call.Last<FetchDocumentCommand>().parameters ==
        Parameters{{"RecordingUrl", "https://media/RE1"},
                   {"RecordingDuration", "12"},
                   {"RecordingSid", "RE0123456789abcdef0123456789abcdef"},
                   {"Digits", "#"}});
}

TEST_CASE("Record without an action posts to the document URL", "[executor]") {
  CallHarness call;
  call.StartWith("<Response><Record/></Response>");
  CHECK(call.Apply(Recording(call.operation(), "https://media/RE1", 3)) ==
        Transcript{"Fetch POST https://app.example.com/voice"});
}

TEST_CASE("An empty recording continues with the next verb", "[executor]") {
  CallHarness call;
  call.StartWith("<Response><Record action=\"/vm\"/><Say>Nothing recorded</Say></Response>");
  CHECK(call.Apply(Recording(call.operation(), "", 0)) == Transcript{"Say Nothing recorded"});
}

TEST_CASE("A caller hanging up during Record still gets the recording posted", "[executor]") {
  CallHarness call;
  call.StartWith("<Response><Record action=\"/vm\"/><Say>never</Say></Response>");
  CHECK(call.HangUp().empty());
  CHECK_FALSE(call.state().ended);
  CHECK(call.Apply(Recording(call.operation(), "https://media/RE1", 20)) ==
        Transcript{"Post POST https://app.example.com/vm"});
  const auto& post = call.Last<FetchDocumentCommand>();
  CHECK(post.response_ignored);
  CHECK(post.parameters.back() == std::pair<std::string, std::string>{"Digits", "hangup"});
  CHECK(call.state().ended);
}

TEST_CASE("A caller hanging up with an empty recording just ends", "[executor]") {
  CallHarness call;
  call.StartWith("<Response><Record/></Response>");
  call.HangUp();
  CHECK(call.Apply(Recording(call.operation(), "", 0)).empty());
  CHECK(call.state().ended);
}

TEST_CASE("Dial without an action continues with the next verb", "[executor]") {
  CallHarness call;
  CHECK(call.StartWith("<Response><Dial>+15551230000</Dial><Say>Goodbye</Say></Response>") ==
        Transcript{"Answer", "Dial"});
  const auto& dial = call.Last<DialCommand>();
  CHECK(dial.options.timeout == 30);
  REQUIRE(dial.options.nouns.size() == 1);
  CHECK(std::get<NumberNoun>(dial.options.nouns[0]).number == "+15551230000");
  CHECK(call.Apply(Dialled(call.operation(), DialCallStatus::kNoAnswer)) ==
        Transcript{"Say Goodbye"});
}

TEST_CASE("Dial with an action posts DialCallStatus and replaces the document", "[executor]") {
  CallHarness call;
  call.StartWith(
      "<Response><Dial action=\"/after\" method=\"GET\">+1555</Dial>"
      "<Say>never</Say></Response>");
  CHECK(call.Apply(Dialled(call.operation(), DialCallStatus::kCompleted, 42)) ==
        Transcript{"Fetch GET https://app.example.com/after"});
  CHECK(call.Last<FetchDocumentCommand>().parameters ==
        Parameters{{"DialCallStatus", "completed"},
                   {"DialCallSid", "CA0123456789abcdef0123456789abcdef"},
                   {"DialCallDuration", "42"}});
}

TEST_CASE("A caller hanging up during Dial with an action posts the result", "[executor]") {
  CallHarness call;
  call.StartWith("<Response><Dial action=\"/after\">+1555</Dial></Response>");
  CHECK(call.HangUp().empty());
  CHECK(call.Apply(Dialled(call.operation(), DialCallStatus::kCompleted, 5)) ==
        Transcript{"Post POST https://app.example.com/after"});
  CHECK(call.state().ended);
}

TEST_CASE("A caller hanging up during Dial without an action ends the call", "[executor]") {
  CallHarness call;
  call.StartWith("<Response><Dial>+1555</Dial><Say>never</Say></Response>");
  CHECK(call.HangUp().empty());
  CHECK(call.state().ended);
  CHECK(call.Apply(Dialled(call.operation(), DialCallStatus::kCompleted)).empty());
  CHECK(call.last_ignored());
}

TEST_CASE("Dial with answerOnBridge does not answer before the callee does", "[executor]") {
  CallHarness call;
  CHECK(call.StartWith("<Response><Dial answerOnBridge=\"true\">+1555</Dial>"
                       "<Say>Sorry</Say></Response>") == Transcript{"Dial"});
  // The callee was busy: the call is still unanswered, so Say answers it.
  CHECK(call.Apply(Dialled(call.operation(), DialCallStatus::kBusy)) ==
        Transcript{"Answer", "Say Sorry"});
}

TEST_CASE("A bridged answerOnBridge Dial counts as answered", "[executor]") {
  CallHarness call;
  call.StartWith("<Response><Dial answerOnBridge=\"true\">+1555</Dial><Say>Bye</Say></Response>");
  CHECK(call.Apply(Dialled(call.operation(), DialCallStatus::kCompleted, 9)) ==
        Transcript{"Say Bye"});
}

TEST_CASE("Dial passes its recording URL to the action", "[executor]") {
  CallHarness call;
  call.StartWith(
      "<Response><Dial action=\"/a\" record=\"record-from-answer\">+1555</Dial></Response>");
  DialResult result = Dialled(call.operation(), DialCallStatus::kCompleted, 3);
  result.recording_url = "https://media/RE9";
  call.Apply(result);
  CHECK(call.Last<FetchDocumentCommand>().parameters.back() ==
        std::pair<std::string, std::string>{"RecordingUrl", "https://media/RE9"});
}

}  // namespace
}  // namespace dialtone::call_router

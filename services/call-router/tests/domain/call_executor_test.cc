// Executor scenarios: answering, Say/Play/Pause, Gather, Redirect, Reject,
// fetch failures, stale events and loops.
#include "calls/call_executor.h"

#include <catch2/catch.hpp>

#include "calls/twiml_names.h"
#include "dialtone/core/twilio_error.h"
#include "executor_harness.h"

namespace dialtone::call_router {
namespace {

using testing::CallHarness;
using testing::kAppUrl;
using testing::Parameters;
using testing::Transcript;

TEST_CASE("CallStarted fetches the application URL", "[executor]") {
  CallHarness call;
  CHECK(call.Start() == Transcript{"Fetch POST https://app.example.com/voice"});
  CHECK(call.state().awaiting == Awaiting::kDocument);
}

TEST_CASE("Say answers the call, plays, and reaching the end hangs up", "[executor]") {
  CallHarness call;
  CHECK(call.StartWith("<Response><Say>Hi</Say><Play>a.mp3</Play></Response>") ==
        Transcript{"Answer", "Say Hi"});
  CHECK(call.PlaybackDone() == Transcript{"Play https://app.example.com/a.mp3"});
  CHECK(call.PlaybackDone() == Transcript{"Hangup"});
  CHECK(call.state().ended);
}

TEST_CASE("Reject as the first verb never answers", "[executor]") {
  CallHarness call;
  CHECK(call.StartWith("<Response><Reject reason=\"busy\"/><Say>never</Say></Response>") ==
        Transcript{"Reject busy"});
  CHECK(call.state().ended);
  CHECK_FALSE(call.state().answered);
}

TEST_CASE("Pause before answering delays the answer to the next media verb", "[executor]") {
  CallHarness call;
  CHECK(call.StartWith("<Response><Pause length=\"3\"/><Say>Hello</Say></Response>") ==
        Transcript{"Timer 3"});
  CHECK(call.TimerFired() == Transcript{"Answer", "Say Hello"});
}

TEST_CASE("Reject after a Pause still rejects the unanswered call", "[executor]") {
  CallHarness call;
  call.StartWith("<Response><Pause/><Reject/></Response>");
  CHECK(call.TimerFired() == Transcript{"Reject rejected"});
}

TEST_CASE("Reject after the call was answered hangs up", "[executor]") {
  CallHarness call;
  call.StartWith("<Response><Say>Hi</Say><Reject/></Response>");
  CHECK(call.PlaybackDone() == Transcript{"Hangup"});
}

TEST_CASE("An empty Response answers and hangs up, as Twilio does", "[executor]") {
  CallHarness call;
  CHECK(call.StartWith("<Response/>") == Transcript{"Answer", "Hangup"});
}

TEST_CASE("A call placed through the API is not answered again", "[executor]") {
  CallHarness call;
  CHECK(call.StartWith("<Response><Say>Hi</Say></Response>", /*answered=*/true) ==
        Transcript{"Say Hi"});
}

TEST_CASE("Gather without input falls through to the next verb", "[executor]") {
  CallHarness call;
  CHECK(call.StartWith("<Response><Gather numDigits=\"1\"><Say>Press 1</Say></Gather>"
                       "<Say>No input</Say></Response>") == Transcript{"Answer", "Collect"});
  CHECK(call.Digits("", GatherEnd::kTimeout) == Transcript{"Say No input"});
}

TEST_CASE("Gather posts Digits to the action URL and replaces the document", "[executor]") {
  CallHarness call;
  call.StartWith("<Response><Gather action=\"/menu\" method=\"GET\"/><Say>never</Say></Response>");
  CHECK(call.Digits("12", GatherEnd::kFinishOnKey) ==
        Transcript{"Fetch GET https://app.example.com/menu"});
  const auto& fetch = call.Last<FetchDocumentCommand>();
  CHECK(fetch.parameters == Parameters{{"Digits", "12"}, {"FinishedOnKey", "#"}});
  CHECK(call.Serve("<Response><Say>Sales</Say></Response>") == Transcript{"Say Sales"});
  CHECK(call.PlaybackDone() == Transcript{"Hangup"});
}

TEST_CASE("Gather without an action posts to the document's own URL", "[executor]") {
  CallHarness call;
  call.Start();
  call.Serve("<Response><Gather/></Response>", "https://app.example.com/ivr/menu.xml");
  CHECK(call.Digits("5", GatherEnd::kTimeout) ==
        Transcript{"Fetch POST https://app.example.com/ivr/menu.xml"});
  CHECK(call.Last<FetchDocumentCommand>().parameters == Parameters{{"Digits", "5"}});
}

TEST_CASE("Gather with actionOnEmptyResult posts empty Digits", "[executor]") {
  CallHarness call;
  call.StartWith(
      "<Response><Gather action=\"/none\" actionOnEmptyResult=\"true\"/>"
      "<Say>never</Say></Response>");
  CHECK(call.Digits("", GatherEnd::kTimeout) ==
        Transcript{"Fetch POST https://app.example.com/none"});
  CHECK(call.Last<FetchDocumentCommand>().parameters == Parameters{{"Digits", ""}});
}

TEST_CASE("CollectDigits carries the prompts, barge-in and limits", "[executor]") {
  CallHarness call;
  call.StartWith(
      "<Response><Gather timeout=\"9\" numDigits=\"4\" finishOnKey=\"*\" bargeIn=\"false\">"
      "<Say voice=\"alice\">Enter PIN</Say><Pause length=\"2\"/><Play>t.wav</Play>"
      "</Gather></Response>");
  const auto& collect = call.Last<CollectDigitsCommand>();
  CHECK(collect.operation == call.operation());
  CHECK(collect.timeout_seconds == 9);
  CHECK(collect.num_digits == 4);
  CHECK(collect.finish_on_key == "*");
  CHECK_FALSE(collect.barge_in);
  CHECK_FALSE(collect.speech.has_value());
  REQUIRE(collect.prompts.size() == 3);
  CHECK(collect.prompts[0].kind == MediaKind::kSpeech);
  CHECK(collect.prompts[0].voice == "alice");
  CHECK(collect.prompts[1].kind == MediaKind::kSilence);
  CHECK(collect.prompts[1].silence_seconds == 2);
  CHECK(collect.prompts[2].url == "https://app.example.com/t.wav");
}

TEST_CASE("Gather with speech posts SpeechResult and Confidence", "[executor]") {
  CallHarness call;
  call.StartWith(
      "<Response><Gather input=\"speech\" action=\"/s\" language=\"fr-FR\"/></Response>");
  REQUIRE(call.Last<CollectDigitsCommand>().speech.has_value());
  CHECK(call.Last<CollectDigitsCommand>().speech->language == "fr-FR");
  CHECK_FALSE(call.Last<CollectDigitsCommand>().dtmf);
  DigitsCollected heard;
  heard.operation = call.operation();
  heard.end = GatherEnd::kSpeech;
  heard.speech_result = "sales please";
  heard.confidence = 0.5;
  CHECK(call.Apply(heard) == Transcript{"Fetch POST https://app.example.com/s"});
  CHECK(call.Last<FetchDocumentCommand>().parameters ==
        Parameters{{"SpeechResult", "sales please"}, {"Confidence", "0.5"}});
}

TEST_CASE("Redirect fetches and replaces the document", "[executor]") {
  CallHarness call;
  CHECK(call.StartWith("<Response><Redirect method=\"GET\">/next</Redirect><Say>never</Say>"
                       "</Response>") == Transcript{"Fetch GET https://app.example.com/next"});
  CHECK(call.Last<FetchDocumentCommand>().parameters.empty());
  CHECK(call.Serve("<Response><Hangup/></Response>") == Transcript{"Answer", "Hangup"});
}

TEST_CASE("A failed fetch ends the call with its error", "[executor]") {
  CallHarness call;
  call.Start();
  CHECK(call.Apply(DocumentFetched{call.operation(), absl::UnavailableError("refused")}) ==
        Transcript{"Hangup error"});
  CHECK(call.Last<HangupCommand>().error.message() == "refused");
  CHECK(call.state().ended);
}

TEST_CASE("A parse error from the fetched document ends the call with its code", "[executor]") {
  CallHarness call;
  call.Start();
  CHECK(call.Serve("<Response><Bogus/></Response>") == Transcript{"Hangup error"});
  CHECK(TwilioErrorCode(call.Last<HangupCommand>().error) == kErrorSchemaValidation);
}

TEST_CASE("Replies for another operation are ignored", "[executor]") {
  CallHarness call;
  call.StartWith("<Response><Say>Hi</Say><Say>Again</Say></Response>");
  const uint64_t stale = call.operation() - 1;
  CHECK(call.Apply(PlaybackDone{stale}).empty());
  CHECK(call.last_ignored());
  CHECK(call.Apply(TimerFired{call.operation()}).empty());  // wrong kind of reply
  CHECK(call.last_ignored());
  CHECK(call.PlaybackDone() == Transcript{"Say Again"});
}

TEST_CASE("A Redirect loop that plays nothing ends the call", "[executor]") {
  CallHarness call(ExecutorConfig{3});
  call.Start();
  CHECK(call.Serve("<Response><Redirect>/voice</Redirect></Response>").size() == 1);
  CHECK(call.Serve("<Response><Redirect>/voice</Redirect></Response>").size() == 1);
  CHECK(call.Serve("<Response><Redirect>/voice</Redirect></Response>") ==
        Transcript{"Hangup error"});
  CHECK(call.Last<HangupCommand>().error.code() == absl::StatusCode::kResourceExhausted);
}

TEST_CASE("The account's cap on documents without media wins, with Twilio's 14106", "[executor]") {
  CallHarness call(ExecutorConfig{20});
  call.SetQuietDocumentCap(2);
  call.Start();
  CHECK(call.Serve("<Response><Redirect>/voice</Redirect></Response>").size() == 1);
  CHECK(call.Serve("<Response><Redirect>/voice</Redirect></Response>") ==
        Transcript{"Hangup error"});
  CHECK(dialtone::core::TwilioCodeOf(call.Last<HangupCommand>().error) == 14106);
}

TEST_CASE("An account cap of 0 lets a document chain run on", "[executor]") {
  CallHarness call(ExecutorConfig{3});
  call.SetQuietDocumentCap(0);
  call.Start();
  for (int i = 0; i < 10; ++i) {
    CHECK(call.Serve("<Response><Redirect>/voice</Redirect></Response>").size() == 1);
  }
}

TEST_CASE("Media between redirects resets the loop guard", "[executor]") {
  CallHarness call(ExecutorConfig{2});
  call.Start();
  for (int i = 0; i < 5; ++i) {
    call.Serve("<Response><Say>Menu</Say><Redirect>/voice</Redirect></Response>");
    CHECK(call.PlaybackDone() == Transcript{"Fetch POST https://app.example.com/voice"});
  }
}

TEST_CASE("The caller hanging up during a Say ends the program quietly", "[executor]") {
  CallHarness call;
  call.StartWith("<Response><Say>Hi</Say><Say>Again</Say></Response>");
  CHECK(call.HangUp().empty());
  CHECK(call.state().ended);
  CHECK(call.PlaybackDone().empty());
  CHECK(call.last_ignored());
}

TEST_CASE("Play with digits sends DTMF and Play loops are passed on", "[executor]") {
  CallHarness call;
  call.StartWith("<Response><Play digits=\"1w2\"/><Play loop=\"0\">m.mp3</Play></Response>");
  CHECK(call.Last<PlayCommand>().media.kind == MediaKind::kDigits);
  call.PlaybackDone();
  CHECK(call.Last<PlayCommand>().media.loop == kMaxLoop);
}

TEST_CASE("An empty Say and a Leave outside a queue are skipped", "[executor]") {
  CallHarness call;
  CHECK(call.StartWith("<Response><Say/><Leave/><Say>Hi</Say></Response>") ==
        Transcript{"Answer", "Say Hi"});
}

TEST_CASE("Enqueue is not run yet and ends the call with an error", "[executor]") {
  CallHarness call;
  CHECK(call.StartWith("<Response><Enqueue>support</Enqueue></Response>") ==
        Transcript{"Hangup error"});
  CHECK(call.Last<HangupCommand>().error.code() == absl::StatusCode::kUnimplemented);
}

TEST_CASE("A second CallStarted is ignored", "[executor]") {
  CallHarness call;
  call.Start();
  CHECK(call.Start().empty());
  CHECK(call.last_ignored());
}

}  // namespace
}  // namespace dialtone::call_router

namespace dialtone::call_router {
namespace {

using testing::CallHarness;
using testing::Transcript;

std::shared_ptr<const Program> Doc(const std::string& twiml) {
  auto program = ParseTwiml(twiml, "text/xml", testing::kAppUrl);
  REQUIRE(program.ok());
  return std::make_shared<const Program>(*std::move(program));
}

TEST_CASE("A call placed with inline TwiML runs it without fetching", "[executor]") {
  CallHarness call;
  CHECK(call.Apply(CallStarted{.answered = true,
                               .document = Doc("<Response><Pause length=\"2\"/></Response>")}) ==
        Transcript{"Timer 2"});
  CHECK(call.TimerFired() == Transcript{"Hangup"});
}

TEST_CASE("An API redirect abandons the Pause under way and fetches the new URL", "[executor]") {
  CallHarness call;
  call.StartWith("<Response><Pause length=\"30\"/><Hangup/></Response>", true);
  const uint64_t pause = call.operation();
  CHECK(
      call.Apply(ApiRedirect{.url = "https://app.example.com/next", .method = HttpMethod::kGet}) ==
      Transcript{"Fetch GET https://app.example.com/next"});
  // The old Pause's timer is stale now.
  CHECK(call.Apply(TimerFired{pause}).empty());
  CHECK(call.last_ignored());
  CHECK(call.Serve("<Response><Hangup/></Response>") == Transcript{"Hangup"});
}

TEST_CASE("An API redirect with TwiML runs it at once", "[executor]") {
  CallHarness call;
  call.StartWith("<Response><Pause length=\"30\"/></Response>", true);
  CHECK(call.Apply(ApiRedirect{.document = Doc("<Response><Hangup/></Response>")}) ==
        Transcript{"Hangup"});
  CHECK(call.state().ended);
}

TEST_CASE("An API redirect of an ended call changes nothing", "[executor]") {
  CallHarness call;
  call.StartWith("<Response><Hangup/></Response>", true);
  CHECK(call.Apply(ApiRedirect{.url = "https://app.example.com/next"}).empty());
  CHECK(call.last_ignored());
}

}  // namespace
}  // namespace dialtone::call_router

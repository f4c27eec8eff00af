// Executor scenarios for Media Streams: <Connect><Stream> holds the document until its stream
// ends, <Start><Stream> and <Stop><Stream> let it go on.
#include <catch2/catch.hpp>

#include "calls/call_executor.h"
#include "executor_harness.h"

namespace dialtone::call_router {
namespace {

using testing::CallHarness;
using testing::Transcript;

TEST_CASE("Connect Stream answers, holds the call, then requests its action", "[executor]") {
  CallHarness call;
  CHECK(call.StartWith("<Response><Connect action=\"/after\"><Stream url=\"wss://ws.example/s\">"
                       "<Parameter name=\"who\" value=\"me\"/></Stream></Connect>"
                       "<Say>never</Say></Response>") ==
        Transcript{"Answer", "Connect wss://ws.example/s"});
  const ConnectStreamCommand& command = call.Last<ConnectStreamCommand>();
  REQUIRE(command.stream.parameters.size() == 1);
  CHECK(command.stream.parameters[0].first == "who");
  CHECK(call.state().awaiting == Awaiting::kStream);
  CHECK(call.StreamEnded() == Transcript{"Fetch POST https://app.example.com/after"});
}

TEST_CASE("Connect Stream without an action goes on with the next verb", "[executor]") {
  CallHarness call;
  call.StartWith("<Response><Connect><Stream url=\"ws://ws.example/s\"/></Connect>"
                 "<Say>after the stream</Say></Response>");
  CHECK(call.StreamEnded() == Transcript{"Say after the stream"});
}

TEST_CASE("A caller hanging up during Connect Stream ends the call without the action",
          "[executor]") {
  CallHarness call;
  call.StartWith("<Response><Connect action=\"/after\"><Stream url=\"wss://ws.example/s\"/>"
                 "</Connect></Response>");
  CHECK(call.HangUp().empty());
  CHECK(call.state().ended);
  CHECK(call.StreamEnded().empty());
  CHECK(call.last_ignored());
}

TEST_CASE("A redirect during Connect Stream ignores the stream's end", "[executor]") {
  CallHarness call;
  call.StartWith("<Response><Connect action=\"/after\"><Stream url=\"wss://ws.example/s\"/>"
                 "</Connect></Response>");
  const uint64_t connect_op = call.operation();
  CHECK(call.Apply(ApiRedirect{.url = "https://app.example.com/new"}) ==
        Transcript{"Fetch POST https://app.example.com/new"});
  CHECK(call.Apply(StreamEnded{connect_op}).empty());
  CHECK(call.last_ignored());
}

TEST_CASE("Start Stream forks and the document goes on, Stop Stream names it", "[executor]") {
  CallHarness call;
  CHECK(call.StartWith("<Response><Start><Stream name=\"tap\" url=\"wss://ws.example/t\" "
                       "track=\"both_tracks\"/></Start><Say>hello</Say>"
                       "<Stop><Stream name=\"tap\"/></Stop><Hangup/></Response>") ==
        Transcript{"Answer", "Fork wss://ws.example/t", "Say hello"});
  CHECK(call.Last<PlayCommand>().media.text == "hello");
  CHECK(call.PlaybackDone() == Transcript{"Unfork tap", "Hangup"});
}

TEST_CASE("Start with an action requests it after forking", "[executor]") {
  CallHarness call;
  CHECK(call.StartWith("<Response><Start action=\"/forked\"><Stream url=\"wss://ws.example/t\"/>"
                       "</Start><Say>never</Say></Response>") ==
        Transcript{"Answer", "Fork wss://ws.example/t",
                   "Fetch POST https://app.example.com/forked"});
}

}  // namespace
}  // namespace dialtone::call_router

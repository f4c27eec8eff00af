// A call's state reads as Twilio's CallStatus values, and refusals end calls as Twilio reports.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "calls/call_state.h"

using dialtone::call_router::CallState;
using dialtone::call_router::CallStateText;
using dialtone::call_router::IsFinal;
using dialtone::call_router::StateForRefusal;

namespace {
constexpr CallState kAll[] = {CallState::kQueued,    CallState::kRinging, CallState::kInProgress,
                              CallState::kCompleted, CallState::kBusy,    CallState::kNoAnswer,
                              CallState::kFailed,    CallState::kCanceled};
}  // namespace

TEST_CASE("Every call state is spelled as one of Twilio's call_enum_status values") {
  std::ifstream in(DIALTONE_OAI_SPEC);
  REQUIRE(in.good());
  const std::string spec((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string want = R"("call_enum_status": {)"
                           "\n"
                           R"(        "type": "string",)"
                           "\n"
                           R"(        "enum": [)";
  auto at = spec.find(want);
  REQUIRE(at != std::string::npos);
  const std::string list = spec.substr(at + want.size(), spec.find(']', at) - at - want.size());
  std::set<std::string> seen;
  for (CallState s : kAll) {
    const std::string text(CallStateText(s));
    INFO(text);
    CHECK(list.find("\"" + text + "\"") != std::string::npos);
    seen.insert(text);
  }
  CHECK(seen.size() == 8);  // each state its own value
}

TEST_CASE("Only queued, ringing and in-progress calls are live") {
  CHECK_FALSE(IsFinal(CallState::kQueued));
  CHECK_FALSE(IsFinal(CallState::kRinging));
  CHECK_FALSE(IsFinal(CallState::kInProgress));
  for (CallState s : {CallState::kCompleted, CallState::kBusy, CallState::kNoAnswer,
                      CallState::kFailed, CallState::kCanceled}) {
    CHECK(IsFinal(s));
  }
}

TEST_CASE("A refused INVITE ends busy, no-answer or failed as Twilio reports it") {
  CHECK(StateForRefusal(486) == CallState::kBusy);
  CHECK(StateForRefusal(600) == CallState::kBusy);
  CHECK(StateForRefusal(603) == CallState::kBusy);
  CHECK(StateForRefusal(408) == CallState::kNoAnswer);
  CHECK(StateForRefusal(480) == CallState::kNoAnswer);
  CHECK(StateForRefusal(487) == CallState::kNoAnswer);
  CHECK(StateForRefusal(404) == CallState::kFailed);
  CHECK(StateForRefusal(503) == CallState::kFailed);
}

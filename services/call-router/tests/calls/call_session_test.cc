// CallSession driven with fakes (session_fakes.h) through Gather, Record and Dial: the SIP
// answers it gives, what it asks of the audio, the rows it writes and the requests the
// application gets. The same paths run for real in tests/e2e (SIPp, RTP, HTTP).
#include <catch2/catch.hpp>

#include "session_fakes.h"

using namespace dialtone::call_router;
using namespace dialtone::call_router::testing;

namespace {

constexpr char kVoiceUrl[] = "http://app.test/voice";

}  // namespace

TEST_CASE("An inbound call rings, is answered and runs the number's document") {
  SessionWorld w;
  w.app.documents[kVoiceUrl] = "<Response><Say>Hello</Say></Response>";
  auto session = w.Inbound();
  REQUIRE(w.app.fetches.size() == 1);
  CHECK(w.app.fetches[0].url == kVoiceUrl);
  CHECK(Param(w.app.fetches[0].params, "CallStatus") == "ringing");
  CHECK(Param(w.app.fetches[0].params, "From") == "+15005550006");
  CHECK(w.caller.rings == 1);
  CHECK_FALSE(w.caller.answer_sdp.empty());
  CHECK(w.records.status[w.CallSid()] == "in-progress");
  REQUIRE(w.CallerAudio().plays.size() == 1);  // the Say
  CHECK(w.media.fetched.at(0).text == "Hello");

  w.CallerAudio().FinishPlays();
  w.loop.Drain();
  CHECK(w.caller.byes == 1);  // the document ended: Twilio hangs up
  CHECK(w.records.status[w.CallSid()] == "completed");
  CHECK(w.ports.closed == 1);
}

TEST_CASE("A call to an unknown number is refused with 404 and writes nothing") {
  SessionWorld w;
  auto session = w.Inbound("+15009999999");
  CHECK(w.caller.refused == 404);
  CHECK(w.records.inserted.empty());
  CHECK(w.app.fetches.empty());
}

TEST_CASE("Gather collects keys and posts them to its action") {
  SessionWorld w;
  w.app.documents[kVoiceUrl] =
      R"(<Response><Gather numDigits="2" action="/gathered"><Say>Two keys</Say></Gather></Response>)";
  w.app.documents["http://app.test/gathered"] = "<Response><Hangup/></Response>";
  auto session = w.Inbound();
  FakeAudio& audio = w.CallerAudio();
  CHECK(audio.inband);
  REQUIRE(audio.plays.size() == 1);  // the prompt

  audio.Press('4');  // barge-in: the prompt stops at the first key
  w.loop.Drain();
  CHECK(audio.stop_playbacks == 1);
  audio.Press('2');
  w.loop.Drain();

  REQUIRE(w.app.fetches.size() == 2);
  CHECK(w.app.fetches[1].url == "http://app.test/gathered");
  CHECK(w.app.fetches[1].method == HttpMethod::kPost);
  CHECK(Param(w.app.fetches[1].params, "Digits") == "42");
  CHECK(Param(w.app.fetches[1].params, "CallStatus") == "in-progress");
  CHECK_FALSE(audio.inband);
  CHECK(w.caller.byes == 1);
  CHECK(w.records.status[w.CallSid()] == "completed");
}

TEST_CASE("Gather with no key times out after its prompts and falls through to the next verb") {
  SessionWorld w;
  w.app.documents[kVoiceUrl] =
      R"(<Response><Gather timeout="3" action="/gathered"><Say>Anything</Say></Gather>)"
      R"(<Say>Nothing heard</Say></Response>)";
  auto session = w.Inbound();
  FakeAudio& audio = w.CallerAudio();
  audio.FinishPlays();  // the prompt has played: the timeout runs from now
  w.loop.Advance(absl::Seconds(2));
  CHECK(audio.plays.size() == 1);
  w.loop.Advance(absl::Seconds(2));
  CHECK(audio.plays.size() == 2);  // "Nothing heard"
  CHECK(w.media.fetched.back().text == "Nothing heard");
  CHECK(w.app.fetches.size() == 1);  // no request to the action
}

TEST_CASE("Gather ends on its finishOnKey and sends the keys before it") {
  SessionWorld w;
  w.app.documents[kVoiceUrl] = R"(<Response><Gather action="/g" finishOnKey="#"/></Response>)";
  w.app.documents["http://app.test/g"] = "<Response><Hangup/></Response>";
  auto session = w.Inbound();
  for (char c : std::string("123#")) w.CallerAudio().Press(c);
  w.loop.Drain();
  REQUIRE(w.app.fetches.size() == 2);
  CHECK(Param(w.app.fetches[1].params, "Digits") == "123");
}

TEST_CASE("Record beeps, records until silence, stores the recording and posts it to its action") {
  SessionWorld w;
  w.app.documents[kVoiceUrl] = R"(<Response><Record maxLength="20" timeout="4" action="/recorded" )"
                               R"(recordingStatusCallback="/rec-status"/></Response>)";
  w.app.documents["http://app.test/recorded"] = "<Response><Hangup/></Response>";
  auto session = w.Inbound();
  FakeAudio& audio = w.CallerAudio();
  REQUIRE(audio.plays.size() == 1);  // the beep
  CHECK_FALSE(audio.recording.has_value());
  audio.FinishPlays();
  w.loop.Drain();
  REQUIRE(audio.recording.has_value());
  CHECK(audio.recording->first == 20000);
  CHECK(audio.recording->second == 4000);

  audio.EndRecording(Samples(2 * 8000, 500), RecordEnd::kSilence);  // two seconds
  w.loop.Drain();
  REQUIRE(w.media.stored.size() == 1);
  REQUIRE(w.records.recordings.size() == 1);
  const NewRecording& rec = w.records.recordings[0];
  CHECK(rec.call_sid == w.CallSid());
  CHECK(rec.duration_seconds == 2);
  CHECK(rec.source == "RecordVerb");

  REQUIRE(w.app.fetches.size() == 2);
  const auto& action = w.app.fetches[1];
  CHECK(action.url == "http://app.test/recorded");
  CHECK(Param(action.params, "RecordingSid") == rec.sid);
  CHECK(Param(action.params, "RecordingDuration") == "2");
  CHECK(Param(action.params, "RecordingUrl") == "http://api.test/2010-04-01/Accounts/" +
                                                    w.records.route.account_sid + "/Recordings/" +
                                                    rec.sid);
  REQUIRE(w.app.callbacks.size() == 1);  // recordingStatusCallback
  CHECK(w.app.callbacks[0].url == "http://app.test/rec-status");
  CHECK(Param(w.app.callbacks[0].params, "RecordingStatus") == "completed");
  CHECK(w.caller.byes == 1);
}

TEST_CASE("Record stops on its finishOnKey and the action hears the key") {
  SessionWorld w;
  w.app.documents[kVoiceUrl] =
      R"(<Response><Record playBeep="false" finishOnKey="*" action="/r"/></Response>)";
  w.app.documents["http://app.test/r"] = "<Response><Hangup/></Response>";
  auto session = w.Inbound();
  FakeAudio& audio = w.CallerAudio();
  REQUIRE(audio.recording.has_value());  // no beep: recording at once
  audio.Press('*');
  w.loop.Drain();
  REQUIRE(w.app.fetches.size() == 2);
  CHECK(Param(w.app.fetches[1].params, "Digits") == "*");
  CHECK(Param(w.app.fetches[1].params, "RecordingDuration") == "1");
}

TEST_CASE("Dial rings its Sip noun, bridges the answer, and posts how it went to its action") {
  SessionWorld w;
  w.app.documents[kVoiceUrl] =
      R"(<Response><Dial action="/dialed"><Sip>sip:bob@example.com</Sip></Dial></Response>)";
  w.app.documents["http://app.test/dialed"] = "<Response><Hangup/></Response>";
  auto session = w.Inbound();
  REQUIRE(w.dialer.placed.size() == 1);
  auto& leg = w.dialer.placed[0];
  CHECK(leg.invite.request_uri == "sip:bob@example.com");
  REQUIRE(w.records.dialed.size() == 1);
  const std::string leg_sid = w.records.dialed[0].first.sid;
  CHECK(w.records.dialed[0].second == w.CallSid());

  leg.handler->OnRinging();
  leg.handler->OnAnswered(kSdp);
  w.loop.Drain();
  REQUIRE(w.ports.opened.size() == 2);
  CHECK(w.CallerAudio().bridged_to == w.ports.opened[1]);
  CHECK(w.ports.opened[1]->bridged_to == w.ports.opened[0]);
  CHECK(w.records.status[leg_sid] == "in-progress");
  CHECK(w.app.fetches.size() == 1);

  leg.handler->OnCallerBye();  // the callee hangs up
  w.loop.Drain();
  REQUIRE(w.app.fetches.size() == 2);
  const auto& action = w.app.fetches[1];
  CHECK(action.url == "http://app.test/dialed");
  CHECK(Param(action.params, "DialCallStatus") == "completed");
  CHECK(Param(action.params, "DialCallSid") == leg_sid);
  CHECK(w.records.status[leg_sid] == "completed");
  CHECK(w.caller.byes == 1);
  CHECK(w.records.status[w.CallSid()] == "completed");
}

TEST_CASE("Dial with no answer cancels the leg at its timeout and reports no-answer") {
  SessionWorld w;
  w.app.documents[kVoiceUrl] =
      R"(<Response><Dial timeout="10" action="/dialed"><Sip>sip:bob@example.com</Sip></Dial>)"
      R"(</Response>)";
  w.app.documents["http://app.test/dialed"] = "<Response><Hangup/></Response>";
  auto session = w.Inbound();
  REQUIRE(w.dialer.placed.size() == 1);
  w.dialer.placed[0].handler->OnRinging();
  w.loop.Advance(absl::Seconds(11));
  CHECK(w.dialer.placed[0].dialog->cancels == 1);
  REQUIRE(w.app.fetches.size() == 2);
  CHECK(Param(w.app.fetches[1].params, "DialCallStatus") == "no-answer");
  CHECK(w.records.status[w.records.dialed[0].first.sid] != "in-progress");
}

TEST_CASE("Dial reports busy when its only leg is refused with 486") {
  SessionWorld w;
  w.app.documents[kVoiceUrl] =
      R"(<Response><Dial action="/dialed"><Sip>sip:bob@example.com</Sip></Dial></Response>)";
  w.app.documents["http://app.test/dialed"] = "<Response><Hangup/></Response>";
  auto session = w.Inbound();
  w.dialer.placed.at(0).handler->OnFailed(486);
  w.loop.Drain();
  REQUIRE(w.app.fetches.size() == 2);
  CHECK(Param(w.app.fetches[1].params, "DialCallStatus") == "busy");
}

TEST_CASE("The caller hanging up during a Gather ends the call without an action request") {
  SessionWorld w;
  w.app.documents[kVoiceUrl] =
      R"(<Response><Gather action="/g"><Say>Press</Say></Gather></Response>)";
  auto session = w.Inbound();
  session->OnCallerBye();
  w.loop.Drain();
  CHECK(w.app.fetches.size() == 1);
  CHECK(w.records.status[w.CallSid()] == "completed");
  CHECK(w.ports.closed == 1);
}

TEST_CASE("A caller hanging up during Record keeps the recording and still tells the action") {
  SessionWorld w;
  w.app.documents[kVoiceUrl] =
      R"(<Response><Record playBeep="false" action="/recorded"/></Response>)";
  auto session = w.Inbound();
  FakeAudio& audio = w.CallerAudio();
  REQUIRE(audio.recording.has_value());
  session->OnCallerBye();
  session.reset();  // nothing but the recording under way holds the session now
  w.loop.Drain();
  REQUIRE(w.records.recordings.size() == 1);
  CHECK(w.records.status[w.records.inserted.at(0).sid] == "completed");
  // After the end the action is told, its answer ignored (Twilio's Digits=hangup).
  REQUIRE(w.app.callbacks.size() == 1);
  CHECK(w.app.callbacks[0].url == "http://app.test/recorded");
  CHECK(Param(w.app.callbacks[0].params, "Digits") == "hangup");
  CHECK(Param(w.app.callbacks[0].params, "RecordingSid") == w.records.recordings[0].sid);
}

TEST_CASE("hangupOnStar: the caller's * ends the bridged leg and the document goes on") {
  SessionWorld w;
  w.app.documents[kVoiceUrl] =
      R"(<Response><Dial hangupOnStar="true"><Sip>sip:bob@example.com</Sip></Dial>)"
      R"(<Say>After the call</Say></Response>)";
  auto session = w.Inbound();
  auto& leg = w.dialer.placed.at(0);
  leg.handler->OnAnswered(kSdp);
  w.loop.Drain();
  w.CallerAudio().Press('1');  // other keys do nothing
  w.loop.Drain();
  CHECK(leg.dialog->byes == 0);
  w.CallerAudio().Press('*');
  w.loop.Drain();
  CHECK(leg.dialog->byes == 1);
  CHECK(w.CallerAudio().bridged_to == nullptr);
  REQUIRE_FALSE(w.CallerAudio().plays.empty());
  CHECK(w.media.fetched.back().text == "After the call");
  CHECK(w.caller.byes == 0);
}

TEST_CASE("Dial record-from-answer stores the bridged call and gives its URL to the action") {
  SessionWorld w;
  w.app.documents[kVoiceUrl] = R"(<Response><Dial record="record-from-answer" action="/dialed">)"
                               R"(<Sip>sip:bob@example.com</Sip></Dial></Response>)";
  w.app.documents["http://app.test/dialed"] = "<Response><Hangup/></Response>";
  auto session = w.Inbound();
  auto& leg = w.dialer.placed.at(0);
  leg.handler->OnAnswered(kSdp);
  w.loop.Drain();
  CHECK(w.CallerAudio().call_recording);
  leg.handler->OnCallerBye();
  w.loop.Drain();
  REQUIRE(w.records.recordings.size() == 1);
  CHECK(w.records.recordings[0].source == "DialVerb");
  REQUIRE(w.app.fetches.size() == 2);
  CHECK(Param(w.app.fetches[1].params, "RecordingUrl") ==
        "http://api.test/2010-04-01/Accounts/" + w.records.route.account_sid + "/Recordings/" +
            w.records.recordings[0].sid);
}

TEST_CASE("A bridged leg redirected through the API leaves the Dial as a call of its own") {
  SessionWorld w;
  w.app.documents[kVoiceUrl] =
      R"(<Response><Dial action="/dialed"><Sip>sip:bob@example.com</Sip></Dial></Response>)";
  w.app.documents["http://app.test/dialed"] = "<Response><Say>Parent goes on</Say></Response>";
  w.app.documents["http://app.test/leg"] = "<Response><Say>Leg alone</Say></Response>";
  auto session = w.Inbound();
  auto& leg = w.dialer.placed.at(0);
  leg.handler->OnAnswered(kSdp);
  w.loop.Drain();
  const std::string leg_sid = w.records.dialed.at(0).first.sid;
  auto live_leg = w.live.Find(leg_sid);
  REQUIRE(live_leg != nullptr);

  live_leg->Control(CallControl{.redirect = ApiRedirect{.url = "http://app.test/leg"}});
  w.loop.Drain();
  // The parent's Dial ends as if the callee had hung up; the leg runs the new document.
  REQUIRE(w.app.fetches.size() == 3);
  CHECK(w.app.fetches[1].url == "http://app.test/leg");
  CHECK(Param(w.app.fetches[1].params, "CallSid") == leg_sid);
  CHECK(Param(w.app.fetches[1].params, "ParentCallSid") == w.CallSid());
  CHECK(w.app.fetches[2].url == "http://app.test/dialed");
  CHECK(Param(w.app.fetches[2].params, "DialCallStatus") == "completed");
  CHECK(leg.dialog->handler != nullptr);  // the new session hears the leg's dialog
  CHECK(leg.dialog->byes == 0);
  CHECK(w.CallerAudio().bridged_to == nullptr);
  CHECK(w.ports.opened[1]->bridged_to == nullptr);
  CHECK(w.live.Find(leg_sid) != nullptr);  // still reachable, now as its own session
}

TEST_CASE("An API redirect during a Dial hangs the legs up without asking the Dial's action") {
  SessionWorld w;
  w.app.documents[kVoiceUrl] =
      R"(<Response><Dial action="/dialed"><Sip>sip:bob@example.com</Sip></Dial></Response>)";
  w.app.documents["http://app.test/new"] = "<Response><Hangup/></Response>";
  auto session = w.Inbound();
  auto& leg = w.dialer.placed.at(0);
  leg.handler->OnRinging();
  w.loop.Drain();
  session->Control(CallControl{.redirect = ApiRedirect{.url = "http://app.test/new"}});
  w.loop.Drain();
  CHECK(leg.dialog->cancels == 1);
  REQUIRE(w.app.fetches.size() == 2);
  CHECK(w.app.fetches[1].url == "http://app.test/new");
  CHECK(w.records.status[w.records.dialed.at(0).first.sid] == "canceled");
}

TEST_CASE("A caller hanging up during Record's beep ends the Record, and the session goes") {
  SessionWorld w;
  w.app.documents[kVoiceUrl] = R"(<Response><Record action="/recorded"/></Response>)";
  auto session = w.Inbound();
  REQUIRE(w.CallerAudio().plays.size() == 1);  // the beep, still playing
  std::weak_ptr<CallSession> weak = session;
  session->OnCallerBye();
  session.reset();
  w.CallerAudio().FinishPlays();  // the beep's report comes late: nothing starts recording
  w.loop.Drain();
  CHECK_FALSE(w.CallerAudio().recording.has_value());
  CHECK(w.records.recordings.empty());
  CHECK(w.records.status[w.CallSid()] == "completed");
  CHECK(weak.expired());  // not kept alive by a Record that will never end
}

TEST_CASE("An API redirect during Record's beep runs the new document without recording") {
  SessionWorld w;
  w.app.documents[kVoiceUrl] = R"(<Response><Record action="/recorded"/></Response>)";
  w.app.documents["http://app.test/new"] = "<Response><Pause length=\"5\"/></Response>";
  auto session = w.Inbound();
  session->Control(CallControl{.redirect = ApiRedirect{.url = "http://app.test/new"}});
  w.loop.Drain();
  REQUIRE(w.app.fetches.size() == 2);
  CHECK(w.app.fetches[1].url == "http://app.test/new");
  CHECK_FALSE(w.CallerAudio().recording.has_value());
}

TEST_CASE("A Connect Stream that cannot connect reports stream-error and the document goes on") {
  SessionWorld w;  // no WebSocket client: every stream fails to connect
  w.app.documents[kVoiceUrl] =
      R"(<Response><Connect><Stream url="wss://ws.example/s" name="agent" )"
      R"(statusCallback="http://app.test/stream-status"/></Connect><Say>After</Say></Response>)";
  auto session = w.Inbound();
  w.loop.Drain();
  CHECK(w.records.status[w.CallSid()] == "in-progress");  // answered for the stream
  REQUIRE(w.app.callbacks.size() == 1);
  const auto& callback = w.app.callbacks[0];
  CHECK(callback.url == "http://app.test/stream-status");
  CHECK(Param(callback.params, "StreamEvent") == "stream-error");
  CHECK(Param(callback.params, "StreamName") == "agent");
  CHECK(Param(callback.params, "StreamSid").rfind("MZ", 0) == 0);
  CHECK(Param(callback.params, "StreamError").rfind("31902: ", 0) == 0);
  REQUIRE(w.CallerAudio().plays.size() == 1);  // the next verb: the Say
  CHECK(w.media.fetched.at(0).text == "After");
  CHECK(w.CallerAudio().taps.empty());
}

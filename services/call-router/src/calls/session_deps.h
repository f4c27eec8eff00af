// What a call session shares with the rest of the process: the calls the Calls API can reach
// (LiveCalls), what it is asked to do (OutboundCall, CallControl), and its dependencies
// (CallSessionDeps).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "calls/app_http_client.h"
#include "calls/call_executor.h"
#include "calls/call_leases.h"
#include "calls/call_state.h"
#include "calls/call_store.h"
#include "calls/call_usage.h"
#include "calls/voice_request.h"
#include "dialtone/twiml/verbs.h"
#include "dialtone/ws/client.h"
#include "media/call_audio.h"
#include "media/media_client.h"
#include "prometheus/gauge.h"
#include "sip/sip_stack.h"

namespace dialtone::call_router {

struct CallControl;

// A media stream of a live call as the Streams API shows it (Calls/{CallSid}/Streams/{Sid}).
struct StreamInfo {
  std::string sid;  // MZ...
  std::string account_sid;
  std::string call_sid;
  std::string name;
  bool stopped = false;  // status "stopped", else "in-progress"
  absl::Time date_updated;
};

// A call the Calls API can reach: a CallSession (inbound, outbound-api, or a Dial leg that was
// redirected out of its Dial) or a leg a <Dial> is ringing or has bridged. SIP thread only.
class LiveCall {
 public:
  virtual ~LiveCall() = default;
  // An UpdateCall: redirect, hang up, cancel, or new status callbacks.
  virtual void Control(const CallControl& control) = 0;
  // The Streams API: starts a forked stream (as <Start><Stream>), or stops one named by SID or
  // name. FailedPrecondition when the call is not in progress (not answered, ended, or a Dial
  // leg), NotFound for a stream it does not have, InvalidArgument for a duplicate name.
  virtual absl::StatusOr<StreamInfo> StartStream(const twiml::StreamNoun& stream) {
    return absl::FailedPreconditionError("the call is not in progress");
  }
  virtual absl::StatusOr<StreamInfo> StopStream(const std::string& sid_or_name) {
    return absl::FailedPreconditionError("the call is not in progress");
  }
};

// The calls this process is running, by SID, for the Calls API to reach: every inbound,
// outbound-api and outbound-dial call from its first SIP message until it ends. Thread-safe.
class LiveCalls {
 public:
  // Adds or replaces the call's entry (a Dial leg redirected out of its Dial changes hands).
  void Add(const std::string& call_sid, std::weak_ptr<LiveCall> call);
  // Removes the entry if `owner` still holds it.
  void Remove(const std::string& call_sid, const LiveCall* owner);
  // Null when the call is not live here.
  std::shared_ptr<LiveCall> Find(const std::string& call_sid);
  size_t size();
  // Every call live now (a drain hangs up what is left).
  std::vector<std::shared_ptr<LiveCall>> All();
  // From then on every call added holds a lease (other replicas reach it through its owner;
  // one ends it if this process dies), released when it is removed. Set before calls start.
  void LeaseWith(CallLeases* leases) { leases_ = leases; }
  // Keeps `gauge` at the number of live calls. Set before calls start.
  void CountWith(prometheus::Gauge* gauge) { gauge_ = gauge; }

 private:
  CallLeases* leases_ = nullptr;
  prometheus::Gauge* gauge_ = nullptr;
  struct Entry {
    std::weak_ptr<LiveCall> call;
    const LiveCall* owner = nullptr;
  };
  std::mutex mu_;
  std::map<std::string, Entry> calls_ ABSL_GUARDED_BY(mu_);
};

// A call the Calls API placed: its row exists (queued) when the session starts. Also a Dial leg
// redirected out of its Dial (`parent_call_sid` set): answered already, it runs `document` or
// `route.voice_url`.
struct OutboundCall {
  std::string call_sid;
  std::string parent_call_sid;
  std::string from;  // as the API got them: "+15557650000", "sip:alice@example.com"
  std::string to;
  // What runs when the callee answers: the voice settings and the token that signs requests.
  CallRoute route;
  std::shared_ptr<const Program> document;  // inline TwiML instead of route.voice_url
  std::vector<CallEvent> events;            // StatusCallbackEvent
  SipOutboundInvite invite;
  int timeout_seconds = 60;
  int time_limit_seconds = 14400;
  // Record=true: the whole call, both directions, becomes a Recording (source OutboundAPI).
  bool record = false;
  StatusCallback recording_status_callback;
};

// An UpdateCall for a live call: a redirect, an end, or new callbacks.
struct CallControl {
  std::optional<ApiRedirect> redirect;
  // kCanceled (a call not yet answered) or kCompleted (any call); empty to leave the call up.
  std::optional<CallState> end;
  std::optional<std::string> status_callback;
  std::optional<HttpMethod> status_callback_method;
};

// What every session shares; owned by the composition root. The I/O is behind interfaces
// (production: SipStack, CallStore, AppHttpClient, RtpEngine, MediaClient), so that unit tests
// drive a session with fakes (tests/domain/call_session_test.cc).
struct CallSessionDeps {
  SipLoop* loop = nullptr;
  CallRecords* store = nullptr;
  AppClient* http = nullptr;
  const CallExecutor* executor = nullptr;
  LiveCalls* live = nullptr;
  CallAudioPorts* rtp = nullptr;
  AudioSource* media = nullptr;
  std::string media_host;    // the address in our SDP
  std::string api_base_url;  // "http://127.0.0.1:8080": RecordingUrl is built on it
  SipDialer* sip = nullptr;  // <Dial> places its legs through it
  ws::Client* streams = nullptr;  // media streams' WebSockets; null: streams fail (31902)
  std::string trunk;         // for <Number> legs; empty: only <Sip> can be dialled
  std::string trunk_username;
  std::string trunk_password;
  std::string local_sip_host;  // "192.0.2.1:5060", completes From URIs
  // Publishes a usage event when an answered call ends (may be empty: no metering).
  std::function<void(const CallUsage&, const std::string& account_sid)> publish_usage;
  // Counts an inbound call refused over its account's limit ("calls_per_second",
  // "concurrent_calls"); may be empty.
  std::function<void(const std::string& limit)> on_refused;
  // Counts media streams: "opened" when one starts connecting, then "stopped" or "error" once it
  // is over (on the WebSocket thread); may be empty.
  std::function<void(std::string_view event)> count_stream;
};

}  // namespace dialtone::call_router

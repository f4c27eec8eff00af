// The SIP user agent of call-router: sofia-sip nua on a thread of its own, UDP and TCP.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "sip/sip_access.h"

namespace dialtone::call_router {

// The SIP thread's event loop as call sessions see it. Post is thread-safe; RunAfter runs on
// the SIP thread only.
class SipLoop {
 public:
  virtual ~SipLoop() = default;
  // Runs `fn` on the SIP thread soon (dropped when the stack has stopped).
  virtual void Post(std::function<void()> fn) = 0;
  // Runs `fn` on the SIP thread once `delay` has passed (10 ms resolution).
  virtual void RunAfter(absl::Duration delay, std::function<void()> fn) = 0;
};

class SipCallHandler;

// One INVITE transaction and its dialog, as a call session drives it. SIP thread only.
// Ring, Answer and Refuse belong to incoming INVITEs, Cancel to outgoing ones; each is a no-op
// on the other kind and once the final response is out.
class SipDialog {
 public:
  virtual ~SipDialog() = default;
  virtual void Ring() = 0;                                  // 180 Ringing
  virtual void Answer(const std::string& sdp) = 0;          // 200 OK with our SDP answer
  virtual void Refuse(int status, const char* phrase) = 0;  // final non-2xx
  virtual void Cancel() = 0;                                // CANCEL our unanswered INVITE
  virtual void Bye() = 0;                                   // after answering (waits for ACK)
  // From now on `handler` hears this dialog's events (a Dial leg taken over by a session).
  virtual void SetHandler(std::shared_ptr<SipCallHandler> handler) = 0;
};

// What a call's owner hears from the dialog. SIP thread only.
class SipCallHandler {
 public:
  virtual ~SipCallHandler() = default;
  // The other side hung up (BYE), on either kind of call.
  virtual void OnCallerBye() = 0;
  virtual void OnCancel() = 0;
  // Outgoing INVITEs: a provisional 180/183, the 2xx (ACKed already), or a final failure
  // (487 after our own Cancel).
  virtual void OnRinging() {}
  virtual void OnAnswered(const std::string& remote_sdp) {}
  virtual void OnFailed(int status) {}
  // The dialog is gone: the SipDialog must not be used from now on.
  virtual void OnTerminated() = 0;
};

// An INVITE we send. The Request-URI names the callee; with a proxy the request goes there
// whatever the Request-URI says (a trunk).
struct SipOutboundInvite {
  std::string request_uri;  // "sip:+15551230000@trunk.example.com" or "sip:alice@10.0.0.5:5070"
  std::string from_uri;     // "sip:+15557650000@dialtone.example.com"
  std::string proxy;        // "sip:trunk.example.com:5060", or empty
  std::string sdp;          // our offer
  // Digest credentials, answered to a 401/407 once.
  std::string auth_username;
  std::string auth_password;
};

// An incoming INVITE, from the network, so untrusted.
struct SipInvite {
  std::string from_user;  // user part of From ("+15551230000"), empty when none
  std::string from_uri;   // the whole From URI ("sip:+1555...@host")
  std::string to_user;
  std::string call_id;
  std::string display_name;
  std::string sdp;  // the offer (empty for a late offer)
};

// Places outgoing INVITEs (SipStack; a fake in unit tests).
class SipDialer {
 public:
  virtual ~SipDialer() = default;
  // Sends an INVITE with our SDP offer; `handler` hears how it goes. SIP thread only. Null
  // (after logging) when the request could not be sent, e.g. an unparsable URI.
  virtual SipDialog* Invite(const SipOutboundInvite& invite,
                            std::shared_ptr<SipCallHandler> handler) = 0;
};

// Owns the nua stack and the thread running its su_root. Incoming INVITEs go to `on_invite`,
// which returns the handler of the new call (or null after refusing it through the dialog).
// Everything sofia-sip does happens on the SIP thread; other threads reach it only through
// Post(), which queues the work and wakes the loop with an eventfd. nua itself answers 100
// Trying, CANCEL (200, then 487 to the INVITE), BYE (200) and requests in unknown dialogs (481);
// the stack answers OPTIONS itself (200, or 503 while draining).
//
//   SipStack sip({.bind_host = "127.0.0.1", .port = 5060},
//                [&](SipDialog& d, const SipInvite& inv) { return MakeSession(d, inv); });
//   if (auto s = sip.Start(); !s.ok()) ...;
//   ...
//   sip.Stop();  // ends the dialogs, joins the thread
class SipStack final : public SipLoop, public SipDialer {
 public:
  struct Options {
    std::string bind_host = "0.0.0.0";
    int port = 5060;
    std::string user_agent = "Dialtone/0.1";
    // INVITEs from elsewhere get 403 Forbidden (empty list: everyone may call).
    SourceAllowList allowed_sources;
    // Whose X-Dialtone-Source header names the caller the allow-list judges (a front proxy).
    CallerAddress caller_address;
    // When set, INVITEs must carry these digest credentials (401 with a challenge otherwise).
    std::shared_ptr<const DigestGuard> digest;
  };
  using InviteHandler =
      std::function<std::shared_ptr<SipCallHandler>(SipDialog&, const SipInvite&)>;

  SipStack(Options options, InviteHandler on_invite);

  SipDialog* Invite(const SipOutboundInvite& invite,
                    std::shared_ptr<SipCallHandler> handler) override;
  ~SipStack() override;  // Stop()s
  SipStack(const SipStack&) = delete;
  SipStack& operator=(const SipStack&) = delete;

  // Starts the thread and binds the port; an error when it cannot (port taken...).
  absl::Status Start();
  // Shuts nua down (BYE to live calls), stops and joins the thread. Idempotent.
  void Stop();
  // Draining: OPTIONS and new INVITEs get 503 Service Unavailable (a front door such as
  // Kamailio takes this router out and sends new calls elsewhere); calls up go on. Thread-safe.
  void SetDraining(bool draining) { draining_ = draining; }

  void Post(std::function<void()> fn) override;
  void RunAfter(absl::Duration delay, std::function<void()> fn) override;

  // Public only so that the C trampolines in the .cc can name them.
  struct Dialog;
  struct Loop;
  void OnNuaEvent(int event, int status, const char* phrase, void* nh, void* hmagic,
                  const void* sip, const void* tags);
  void OnWakeup();
  void OnTick();

 private:
  void ThreadMain();
  void OnIncomingInvite(void* nh, const void* sip);
  // The allow-list and digest checks; false after refusing the INVITE (403 or 401).
  bool Admitted(void* nh, const void* sip);
  void OnInviteResponse(Dialog* dialog, int status, const void* sip);
  void ReleaseDialog(Dialog* dialog);

  Options options_;
  InviteHandler on_invite_;
  std::thread thread_;
  std::unique_ptr<Loop> loop_;  // sofia objects, SIP thread only after start
  int wake_fd_ = -1;

  std::mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool accepting_ ABSL_GUARDED_BY(mu_) = false;

  // SIP thread only.
  std::multimap<absl::Time, std::function<void()>> timers_;
  std::map<Dialog*, std::unique_ptr<Dialog>> dialogs_;
  bool shutting_down_ = false;
  std::atomic<bool> draining_{false};
};

}  // namespace dialtone::call_router

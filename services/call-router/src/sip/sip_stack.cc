// SipStack: nua on its su_root thread, the cross-thread queue and the C trampolines.
#include "sip/sip_stack.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <future>
#include <optional>
#include <vector>

#include <sofia-sip/msg_addr.h>
#include <sofia-sip/msg_header.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/soa_tag.h>
#include <sofia-sip/su.h>
#include <sofia-sip/su_tag_io.h>
#include <sofia-sip/su_wait.h>

#include "absl/strings/str_cat.h"
#include "dialtone/log/log.h"
#include "sip/sip_headers.h"

namespace dialtone::call_router {

// Sofia objects, created and destroyed on the SIP thread.
struct SipStack::Loop {
  su_root_t* root = nullptr;
  su_timer_t* tick = nullptr;
  nua_t* nua = nullptr;
  su_wait_t wait[1] = {};
  int wait_index = -1;
};

// The SipDialog of one incoming INVITE; nua's handle magic points here.
struct SipStack::Dialog final : SipDialog {
  SipStack* stack = nullptr;
  nua_handle_t* nh = nullptr;
  std::shared_ptr<SipCallHandler> handler;
  bool final_sent = false;
  bool answered = false;
  bool acked = false;
  bool bye_pending = false;
  bool terminated = false;
  std::string local_sdp;  // what we answered or offered; re-INVITEs get it again
  // Outgoing INVITEs only.
  bool outbound = false;
  bool cancel_sent = false;
  bool auth_tried = false;
  std::string auth_username;
  std::string auth_password;

  void Ring() override {
    if (!outbound && !final_sent && !terminated) nua_respond(nh, SIP_180_RINGING, TAG_END());
  }
  void Cancel() override {
    if (!outbound || final_sent || cancel_sent || terminated) return;
    cancel_sent = true;
    nua_cancel(nh, TAG_END());
  }
  void Answer(const std::string& sdp) override {
    if (outbound || final_sent || terminated) return;
    final_sent = answered = true;
    local_sdp = sdp;
    nua_respond(nh, SIP_200_OK, SIPTAG_CONTENT_TYPE_STR("application/sdp"),
                SIPTAG_PAYLOAD_STR(local_sdp.c_str()), TAG_END());
  }
  void SetHandler(std::shared_ptr<SipCallHandler> h) override {
    if (!terminated) handler = std::move(h);
  }
  void Refuse(int status, const char* phrase) override {
    if (outbound || final_sent || terminated) return;
    final_sent = true;
    nua_respond(nh, status, phrase, TAG_END());
  }
  void Bye() override {
    if (!answered || terminated) return;
    // A BYE before the ACK would race the 200's retransmissions: wait for the ACK.
    if (!acked) {
      bye_pending = true;
      return;
    }
    nua_bye(nh, TAG_END());
  }
};

namespace {

// Trampolines: sofia-sip's magic pointers back to the C++ objects. No exception crosses them.
void NuaCallback(nua_event_t event, int status, char const* phrase, nua_t*, nua_magic_t* magic,
                 nua_handle_t* nh, nua_hmagic_t* hmagic, sip_t const* sip, tagi_t tags[]) {
  try {
    static_cast<SipStack*>(magic)->OnNuaEvent(event, status, phrase, nh, hmagic, sip, tags);
  } catch (const std::exception& e) {
    log::Error("SIP event handler threw", {{"error", e.what()}, {"event", nua_event_name(event)}});
  }
}

int WakeupCallback(su_root_magic_t* magic, su_wait_t*, su_wakeup_arg_t*) {
  try {
    static_cast<SipStack*>(magic)->OnWakeup();
  } catch (const std::exception& e) {
    log::Error("SIP queued task threw", {{"error", e.what()}});
  }
  return 0;
}

void TickCallback(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
  try {
    static_cast<SipStack*>(arg)->OnTick();
  } catch (const std::exception& e) {
    log::Error("SIP timer task threw", {{"error", e.what()}});
  }
}

std::string Str(const char* s) { return s == nullptr ? std::string() : std::string(s); }

}  // namespace

SipStack::SipStack(Options options, InviteHandler on_invite)
    : options_(std::move(options)), on_invite_(std::move(on_invite)) {}

SipStack::~SipStack() {
  Stop();
  if (wake_fd_ >= 0) close(wake_fd_);
}

absl::Status SipStack::Start() {
  if (thread_.joinable()) return absl::FailedPreconditionError("SIP stack already started");
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) return absl::InternalError("eventfd failed");
  loop_ = std::make_unique<Loop>();
  std::promise<absl::Status> ready;
  std::future<absl::Status> started = ready.get_future();
  thread_ = std::thread([this, &ready] {
    su_init();
    Loop& l = *loop_;
    l.root = su_root_create(this);
    absl::Status status;
    if (l.root == nullptr) status = absl::InternalError("su_root_create failed");
    if (status.ok()) {
      su_root_threading(l.root, 0);  // nua's stack runs in this thread too
      su_wait_create(l.wait, wake_fd_, SU_WAIT_IN);
      l.wait_index = su_root_register(l.root, l.wait, WakeupCallback, nullptr, 0);
      l.tick = su_timer_create(su_root_task(l.root), 10);
      su_timer_run(l.tick, TickCallback, this);
      std::string url = absl::StrCat("sip:", options_.bind_host, ":", options_.port);
      l.nua = nua_create(l.root, NuaCallback, this, NUTAG_URL(url.c_str()),
                         SIPTAG_USER_AGENT_STR(options_.user_agent.c_str()), NUTAG_AUTOANSWER(0),
                         NUTAG_AUTOALERT(0), NUTAG_ENABLEMESSAGE(0),
                         NUTAG_ALLOW("INVITE, ACK, BYE, CANCEL, OPTIONS"),
                         // OPTIONS are ours to answer: 200, or 503 while draining.
                         NUTAG_APPL_METHOD("OPTIONS"),
                         // Sessions write and read SDP themselves (one stream, G.711).
                         NUTAG_MEDIA_ENABLE(0), TAG_END());
      if (l.nua == nullptr) {
        status = absl::UnavailableError(
            absl::StrCat("cannot bind SIP on ", options_.bind_host, ":", options_.port));
      }
    }
    if (status.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      accepting_ = true;
    }
    bool ok = status.ok();
    ready.set_value(std::move(status));
    if (ok) {
      su_root_run(l.root);
      // Whatever is still up ends with the stack.
      for (auto& [ptr, dialog] : dialogs_) {
        dialog->terminated = true;
        dialog->handler->OnTerminated();
      }
      dialogs_.clear();
      nua_destroy(l.nua);
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      accepting_ = false;
      queue_.clear();
    }
    timers_.clear();
    if (l.tick != nullptr) su_timer_destroy(l.tick);
    if (l.root != nullptr) {
      if (l.wait_index > 0) su_root_deregister(l.root, l.wait_index);
      su_root_destroy(l.root);
    }
    su_deinit();
  });
  absl::Status s = started.get();
  if (!s.ok())
    thread_.join();
  else
    log::Info("SIP listening", {{"host", options_.bind_host}, {"port", options_.port}});
  return s;
}

void SipStack::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (accepting_) {
      queue_.push_back([this] {
        shutting_down_ = true;
        nua_shutdown(loop_->nua);
        // nua gives up on unanswered BYEs after a while; do not wait longer than this.
        RunAfter(absl::Seconds(5), [this] { su_root_break(loop_->root); });
      });
    }
  }
  uint64_t one = 1;
  if (write(wake_fd_, &one, sizeof one) < 0) log::Warn("SIP wakeup write failed");
  thread_.join();
}

void SipStack::Post(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!accepting_) return;
    queue_.push_back(std::move(fn));
  }
  uint64_t one = 1;
  if (write(wake_fd_, &one, sizeof one) < 0) log::Warn("SIP wakeup write failed");
}

void SipStack::RunAfter(absl::Duration delay, std::function<void()> fn) {
  timers_.emplace(absl::Now() + delay, std::move(fn));
}

void SipStack::OnWakeup() {
  uint64_t n;
  while (read(wake_fd_, &n, sizeof n) > 0) {
  }
  std::deque<std::function<void()>> work;
  {
    std::lock_guard<std::mutex> lock(mu_);
    work.swap(queue_);
  }
  for (auto& fn : work) fn();
}

void SipStack::OnTick() {
  const absl::Time now = absl::Now();
  while (!timers_.empty() && timers_.begin()->first <= now) {
    std::function<void()> fn = std::move(timers_.begin()->second);
    timers_.erase(timers_.begin());
    fn();
  }
}

void SipStack::OnNuaEvent(int ev, int status, const char* phrase, void* handle, void* hmagic,
                          const void* sip_ptr, const void* tags_ptr) {
  const auto event = static_cast<nua_event_t>(ev);
  auto* nh = static_cast<nua_handle_t*>(handle);
  auto* dialog = static_cast<Dialog*>(hmagic);
  const auto* sip = static_cast<const sip_t*>(sip_ptr);
  const auto* tags = static_cast<const tagi_t*>(tags_ptr);
  switch (event) {
    case nua_i_invite:
      if (dialog == nullptr) return OnIncomingInvite(nh, sip);
      // A re-INVITE (session refresh, hold...): keep the call with the same SDP.
      nua_respond(nh, SIP_200_OK, SIPTAG_CONTENT_TYPE_STR("application/sdp"),
                  SIPTAG_PAYLOAD_STR(dialog->local_sdp.c_str()), TAG_END());
      return;
    case nua_r_invite:
      if (dialog != nullptr && dialog->outbound) OnInviteResponse(dialog, status, sip);
      return;
    case nua_i_ack:
      if (dialog != nullptr) {
        dialog->acked = true;
        if (dialog->bye_pending) {
          dialog->bye_pending = false;
          nua_bye(nh, TAG_END());
        }
      }
      return;
    case nua_i_bye:
      if (dialog != nullptr && !dialog->terminated) dialog->handler->OnCallerBye();
      return;
    case nua_i_cancel:
      if (dialog != nullptr && !dialog->terminated) dialog->handler->OnCancel();
      return;
    case nua_i_state: {
      int state = nua_callstate_init;
      tl_gets(const_cast<tagi_t*>(tags), NUTAG_CALLSTATE_REF(state), TAG_END());
      if (state == nua_callstate_ready && dialog != nullptr) dialog->acked = true;
      if (state != nua_callstate_terminated) return;
      if (dialog != nullptr) return ReleaseDialog(dialog);
      if (nh != nullptr) nua_handle_destroy(nh);
      return;
    }
    case nua_r_shutdown:
      if (status >= 200) su_root_break(loop_->root);
      return;
    case nua_i_options:
      // A front door's health probe (or a peer's keep-alive): are we taking calls?
      if (draining_) {
        nua_respond(nh, SIP_503_SERVICE_UNAVAILABLE, NUTAG_WITH_THIS(loop_->nua), TAG_END());
      } else {
        nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(loop_->nua), TAG_END());
      }
      if (dialog == nullptr && nh != nullptr) nua_handle_destroy(nh);
      return;
    case nua_i_method:
    case nua_i_message:
    case nua_i_info:
    case nua_i_register:
    case nua_i_subscribe:
    case nua_i_publish:
    case nua_i_refer:
    case nua_i_notify:
      // Out-of-dialog requests nua answered (or refused) itself leave a handle nobody owns.
      if (dialog == nullptr && nh != nullptr) nua_handle_destroy(nh);
      return;
    case nua_i_error:
      log::Warn("SIP stack error", {{"status", status}, {"phrase", Str(phrase)}});
      return;
    default: return;
  }
}

void SipStack::OnIncomingInvite(void* handle, const void* sip_ptr) {
  auto* nh = static_cast<nua_handle_t*>(handle);
  const auto* sip = static_cast<const sip_t*>(sip_ptr);
  if (shutting_down_ || draining_) {
    nua_respond(nh, SIP_503_SERVICE_UNAVAILABLE, TAG_END());
    return;  // the handle goes with the terminated state
  }
  absl::StatusOr<SipInvite> invite = ReadInvite(sip);
  if (!invite.ok()) {
    nua_respond(nh, SIP_400_BAD_REQUEST, TAG_END());
    return;
  }
  if (!Admitted(nh, sip)) return;

  auto dialog = std::make_unique<Dialog>();
  dialog->stack = this;
  dialog->nh = nh;
  dialog->handler = on_invite_(*dialog, *invite);
  if (dialog->handler == nullptr) {
    if (!dialog->final_sent) nua_respond(nh, SIP_500_INTERNAL_SERVER_ERROR, TAG_END());
    return;
  }
  Dialog* raw = dialog.get();
  nua_handle_bind(nh, raw);
  dialogs_.emplace(raw, std::move(dialog));
}

SipDialog* SipStack::Invite(const SipOutboundInvite& invite,
                            std::shared_ptr<SipCallHandler> handler) {
  if (shutting_down_ || loop_ == nullptr || loop_->nua == nullptr) return nullptr;
  auto dialog = std::make_unique<Dialog>();
  dialog->stack = this;
  dialog->outbound = true;
  dialog->handler = std::move(handler);
  dialog->auth_username = invite.auth_username;
  dialog->auth_password = invite.auth_password;
  Dialog* raw = dialog.get();
  nua_handle_t* nh = nua_handle(
      loop_->nua, reinterpret_cast<nua_hmagic_t*>(raw), SIPTAG_TO_STR(invite.request_uri.c_str()),
      SIPTAG_FROM_STR(invite.from_uri.c_str()),
      TAG_IF(!invite.proxy.empty(), NUTAG_PROXY(invite.proxy.c_str())), TAG_END());
  if (nh == nullptr) {
    log::Warn("SIP cannot address an outgoing call", {{"to", invite.request_uri}});
    return nullptr;
  }
  dialog->nh = nh;
  dialog->local_sdp = invite.sdp;
  nua_invite(nh, NUTAG_URL(invite.request_uri.c_str()), SIPTAG_CONTENT_TYPE_STR("application/sdp"),
             SIPTAG_PAYLOAD_STR(dialog->local_sdp.c_str()), TAG_END());
  dialogs_.emplace(raw, std::move(dialog));
  return raw;
}

void SipStack::OnInviteResponse(Dialog* dialog, int status, const void* sip_ptr) {
  const auto* sip = static_cast<const sip_t*>(sip_ptr);
  if (dialog->terminated) return;
  if (status == 180 || status == 183) return dialog->handler->OnRinging();
  if (status < 200) return;
  if (status < 300) {
    if (dialog->final_sent) return;  // a retransmitted 2xx: nua ACKs it again
    dialog->final_sent = dialog->answered = dialog->acked = true;
    if (dialog->cancel_sent) {  // answered as our CANCEL crossed it: hang up at once
      nua_bye(dialog->nh, TAG_END());
      return dialog->handler->OnFailed(487);
    }
    return dialog->handler->OnAnswered(MessageBody(sip));
  }
  // A challenge from a trunk: answer it once with the call's credentials.
  if (!dialog->auth_tried && !dialog->auth_username.empty()) {
    if (const std::optional<std::string> credentials =
            ChallengeAnswer(sip, status, dialog->auth_username, dialog->auth_password)) {
      dialog->auth_tried = true;
      nua_authenticate(dialog->nh, NUTAG_AUTH(credentials->c_str()), TAG_END());
      return;
    }
  }
  dialog->final_sent = true;
  dialog->handler->OnFailed(status);
}

bool SipStack::Admitted(void* handle, const void* sip_ptr) {
  auto* nh = static_cast<nua_handle_t*>(handle);
  const auto* sip = static_cast<const sip_t*>(sip_ptr);
  if (!options_.allowed_sources.allows_all()) {
    msg_t* msg = nua_current_request(loop_->nua);
    su_addrinfo_t* source = msg != nullptr ? msg_addrinfo(msg) : nullptr;
    // The caller's address as a front proxy passes it.
    const absl::string_view claimed = ClaimedSource(sip);
    const std::string caller =
        options_.caller_address.Of(source != nullptr ? source->ai_addr : nullptr, claimed);
    if (!options_.allowed_sources.Allows(caller)) {
      log::Warn("INVITE from an address not on the allow-list refused",
                {{"source", caller.empty() ? "?" : caller}});
      nua_respond(nh, SIP_403_FORBIDDEN, TAG_END());
      return false;
    }
  }
  if (options_.digest != nullptr) {
    const msg_auth_t* credentials = DigestCredentials(sip);
    if (credentials == nullptr ||
        !options_.digest->Verify(credentials->au_params, "INVITE", absl::Now())) {
      if (credentials != nullptr) log::Warn("INVITE with wrong digest credentials refused");
      const std::string challenge = options_.digest->Challenge(absl::Now());
      nua_respond(nh, SIP_401_UNAUTHORIZED, SIPTAG_WWW_AUTHENTICATE_STR(challenge.c_str()),
                  TAG_END());
      return false;
    }
  }
  return true;
}

void SipStack::ReleaseDialog(Dialog* dialog) {
  auto it = dialogs_.find(dialog);
  if (it == dialogs_.end()) return;
  std::unique_ptr<Dialog> owned = std::move(it->second);
  dialogs_.erase(it);
  owned->terminated = true;
  nua_handle_bind(owned->nh, nullptr);
  nua_handle_destroy(owned->nh);
  owned->handler->OnTerminated();
}

}  // namespace dialtone::call_router

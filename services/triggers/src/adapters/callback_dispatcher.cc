// CallbackDispatcher.
#include "adapters/callback_dispatcher.h"

#include "absl/time/clock.h"
#include "dialtone/log/log.h"
#include "domain/callback_params.h"

namespace dialtone::triggers {

CallbackDispatcher::CallbackDispatcher(TriggerRepository& repo, AuthTokens& tokens, Options options,
                                       TriggerMetrics* metrics, SenderFactory make_sender)
    : repo_(repo),
      tokens_(tokens),
      options_(std::move(options)),
      metrics_(metrics),
      make_sender_(std::move(make_sender)) {
  if (!make_sender_) {
    make_sender_ = [http = options_.http] { return MakeHttpCallbackSender(http); };
  }
}

CallbackDispatcher::~CallbackDispatcher() { Stop(); }

void CallbackDispatcher::Start() {
  for (int i = 0; i < options_.workers; ++i) {
    threads_.emplace_back([this, sender = make_sender_()]() mutable { Loop(*sender); });
  }
}

void CallbackDispatcher::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void CallbackDispatcher::Wake() {
  {
    std::lock_guard lock(mu_);
    ++wakeups_;
  }
  cv_.notify_all();
}

void CallbackDispatcher::Loop(CallbackSender& sender) {
  uint64_t seen = 0;
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
      seen = wakeups_;
    }
    auto due = repo_.LeaseDue(options_.batch, options_.lease);
    if (!due.ok()) {
      log::Warn("leasing due callbacks failed", {{"error", due.status()}});
    } else {
      for (const PendingDelivery& d : *due) Deliver(sender, d);
    }
    bool full = due.ok() && static_cast<int>(due->size()) == options_.batch;
    std::unique_lock lock(mu_);
    if (full) continue;  // there may be more due now
    cv_.wait_for(lock, absl::ToChronoMilliseconds(options_.poll_interval),
                 [&] { return stop_ || wakeups_ != seen; });
  }
}

void CallbackDispatcher::Deliver(CallbackSender& sender, const PendingDelivery& d) {
  AttemptResult result;
  auto token = tokens_.TokenFor(d.trigger.account_sid);
  if (!token.ok()) {
    result.error = "no auth token: " + token.status().ToString();
  } else {
    result = sender.Send(d.trigger.callback_url, d.trigger.callback_method,
                         CallbackParams(d.trigger, d.firing), *token);
  }
  absl::Duration retry = RetryDelay(d.attempts + 1, options_.initial_backoff, options_.max_backoff);
  if (absl::Status s = repo_.RecordAttempt(d, result, retry, options_.max_age); !s.ok()) {
    // The lease ends and the firing is sent again, with the same idempotency token.
    log::Warn("recording a callback attempt failed",
              {{"trigger_sid", d.trigger.sid}, {"period", d.firing.period}, {"error", s}});
  }
  if (metrics_) {
    metrics_->Attempt(result.delivered());
    if (result.delivered() && d.event_time) metrics_->EventToCallback(absl::Now() - *d.event_time);
  }
  if (!result.delivered()) {
    log::Info("trigger callback failed", {{"trigger_sid", d.trigger.sid},
                                          {"period", d.firing.period},
                                          {"attempt", d.attempts + 1},
                                          {"error", result.error}});
  }
}

}  // namespace dialtone::triggers

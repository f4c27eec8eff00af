// Delivery from the outbox: worker threads lease due firings (SELECT … FOR UPDATE SKIP LOCKED),
// send the signed callback, and record every attempt; failures are retried with exponential
// backoff until a 2xx or the max age. Rows survive restarts: a firing leased by a process that
// died is due again when its lease ends.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "adapters/auth_tokens.h"
#include "adapters/callback_sender.h"
#include "adapters/trigger_metrics.h"
#include "adapters/trigger_repository.h"

namespace dialtone::triggers {

// Start() creates `workers` threads; Wake() (any thread) makes them look for due rows at once
// instead of at the next poll; Stop() (or the destructor) joins them.
class CallbackDispatcher {
 public:
  struct Options {
    int workers = 4;
    int batch = 16;                            // rows leased at a time per worker
    absl::Duration lease = absl::Seconds(60);  // > total_timeout * batch
    absl::Duration poll_interval = absl::Milliseconds(500);
    absl::Duration initial_backoff = absl::Seconds(1);
    absl::Duration max_backoff = absl::Minutes(10);
    absl::Duration max_age = absl::Hours(24);
    HttpCallbackSenderOptions http;
  };
  using SenderFactory = std::function<std::unique_ptr<CallbackSender>()>;

  CallbackDispatcher(TriggerRepository& repo, AuthTokens& tokens, Options options,
                     TriggerMetrics* metrics, SenderFactory make_sender = {});
  ~CallbackDispatcher();

  void Start();
  void Stop();
  void Wake();

 private:
  void Loop(CallbackSender& sender);
  void Deliver(CallbackSender& sender, const PendingDelivery& d);

  TriggerRepository& repo_;
  AuthTokens& tokens_;
  Options options_;
  TriggerMetrics* metrics_;
  SenderFactory make_sender_;
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t wakeups_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace dialtone::triggers

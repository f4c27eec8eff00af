// Ends the calls of call-routers that died: claims lapsed leases (CallLeases), ends each call's
// row (completed if it was answered, failed if not), publishes its usage and sends its
// "completed" status callback, once, whichever replica gets there first.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "calls/app_http_client.h"
#include "calls/call_leases.h"
#include "calls/call_store.h"
#include "calls/call_usage.h"

namespace dialtone::call_router {

// Runs on a thread of its own, every `interval`; blocks only that thread.
//
//   CallRecovery recovery(leases, store, http, publish, {});   // starts
class CallRecovery {
 public:
  struct Options {
    absl::Duration interval = absl::Seconds(5);
    // How long a claimed call stays this replica's to end before another may try.
    absl::Duration claim_for = absl::Seconds(60);
    std::function<void()> on_ended;  // once per call this replica ended (metrics)
    // Which of `call_sids` their owner says it runs (an error: it does not answer, or is another
    // process now). A live owner keeps its calls: its leases lapsed only because Redis was
    // out of its reach. Unset: every owner whose leases lapsed is dead.
    std::function<absl::StatusOr<std::vector<std::string>>(
        const CallOwner& owner, const std::vector<std::string>& call_sids)>
        live_at_owner;
  };
  using PublishUsage = std::function<void(const CallUsage&, const std::string& account_sid)>;

  CallRecovery(CallLeases& leases, CallStore& store, AppClient& http, PublishUsage publish,
               Options options);
  ~CallRecovery();
  CallRecovery(const CallRecovery&) = delete;
  CallRecovery& operator=(const CallRecovery&) = delete;

  // One pass (the thread runs it every interval): the number of calls ended.
  int RecoverOnce();

 private:
  void Loop();
  void End(const LapsedCall& call);

  CallLeases& leases_;
  CallStore& store_;
  AppClient& http_;
  PublishUsage publish_;
  const Options options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace dialtone::call_router

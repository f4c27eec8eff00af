// CallRecovery: lapsed leases to ended calls.
#include "calls/call_recovery.h"

#include <map>
#include <set>

#include "dialtone/log/log.h"

namespace dialtone::call_router {

CallRecovery::CallRecovery(CallLeases& leases, CallStore& store, AppClient& http,
                           PublishUsage publish, Options options)
    : leases_(leases),
      store_(store),
      http_(http),
      publish_(std::move(publish)),
      options_(options),
      thread_([this] { Loop(); }) {}

CallRecovery::~CallRecovery() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void CallRecovery::Loop() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (cv_.wait_for(lock, absl::ToChronoMilliseconds(options_.interval),
                       [this] { return stopping_; })) {
        return;
      }
    }
    RecoverOnce();
  }
}

int CallRecovery::RecoverOnce() {
  int ended = 0;
  for (;;) {
    auto claimed = leases_.ClaimLapsed(100, options_.claim_for);
    if (!claimed.ok()) {
      log::Warn("cannot look for calls of dead routers", {{"error", claimed.status()}});
      return ended;
    }
    // Grouped by owner: one question to each owner still answering.
    std::map<std::string, std::vector<const LapsedCall*>> by_owner;
    for (const LapsedCall& call : *claimed) by_owner[call.owner.router_id].push_back(&call);
    for (const auto& [router_id, calls] : by_owner) {
      std::set<std::string> kept;
      if (options_.live_at_owner && !router_id.empty()) {
        std::vector<std::string> sids;
        for (const LapsedCall* c : calls) sids.push_back(c->call_sid);
        if (auto live = options_.live_at_owner(calls.front()->owner, sids); live.ok()) {
          kept.insert(live->begin(), live->end());
        }
      }
      for (const LapsedCall* call : calls) {
        if (kept.count(call->call_sid) > 0) {
          // Its owner's next refresh takes the lease back.
          log::Warn("a lapsed lease's call is live at its owner: left to it",
                    {{"call_sid", call->call_sid}, {"router_id", router_id}});
          continue;
        }
        End(*call);
        ++ended;
      }
    }
    if (claimed->size() < 100) return ended;
  }
}

void CallRecovery::End(const LapsedCall& call) {
  auto ended = store_.EndAbandoned(call.call_sid, call.last_alive);
  if (!ended.ok()) {
    // The claim lapses and this or another replica tries again.
    log::Error("cannot end a call of a dead router",
               {{"call_sid", call.call_sid}, {"error", ended.status()}});
    return;
  }
  if (absl::Status s = leases_.Forget(call.call_sid); !s.ok()) {
    log::Warn("cannot drop a recovered call's lease", {{"call_sid", call.call_sid}, {"error", s}});
  }
  if (!ended->has_value()) return;  // it had ended already
  if (options_.on_ended) options_.on_ended();
  const AbandonedCall& a = **ended;
  log::Info("call of a dead router ended",
            {{"call_sid", call.call_sid},
             {"status", a.facts.call_status},
             {"duration", static_cast<long long>(a.facts.duration_seconds.value_or(0))}});
  if (publish_) {
    if (auto usage = CallUsageFor(call.call_sid, a.facts.direction,
                                  a.facts.duration_seconds.value_or(0), a.answered)) {
      publish_(*usage, a.facts.account_sid);
    }
  }
  if (a.status_callback.empty()) return;
  auto events = ParseStatusCallbackEvents({a.status_callback_events});
  if (!events.ok()) events = std::vector<CallEvent>{};
  auto params = AbandonedCallCallback(*events, a.facts, a.answered, absl::Now());
  if (!params) return;
  auto token = store_.AuthToken(a.facts.account_sid);
  if (!token.ok()) {
    log::Error("cannot sign the completed callback of a recovered call",
               {{"call_sid", call.call_sid}, {"error", token.status()}});
    return;
  }
  http_.SendCallback({.url = a.status_callback,
                      .method = a.status_callback_method,
                      .params = *std::move(params),
                      .auth_token = *std::move(token)});
}

}  // namespace dialtone::call_router

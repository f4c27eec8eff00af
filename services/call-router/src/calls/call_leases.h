// Which call-router owns each live call: a lease in Redis that the owner refreshes while the call
// lives. Any replica finds the owner of a call there (to forward an UpdateCall to it), and when
// an owner dies its leases lapse and another replica claims them to end the calls.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dialtone/redis/redis_pool.h"

namespace dialtone::call_router {

// A live call's owner: the router's ID (unique per process) and its gRPC address.
struct CallOwner {
  std::string router_id;
  std::string address;
};

// A call whose owner's lease lapsed, claimed by this replica to end it.
struct LapsedCall {
  std::string call_sid;
  absl::Time last_alive;  // the owner's last refresh: when the call was last known up
  CallOwner owner;        // who held it (empty if unknown)
};

// Redis keys (one hash tag, so the scripts run on one Redis Cluster slot):
//   dialtone:{calls}:leases  sorted set, call SID -> lease expiry (Redis server time, ms)
//   dialtone:{calls}:owners  hash, call SID -> "<router id>|<gRPC address>"
// Expiry is judged by Redis's clock, never the routers', so their clocks may disagree.
//
// Hold and Release queue work for a worker thread and never block (the SIP thread calls them);
// the worker refreshes every held lease each ttl/3. A Redis outage costs nothing but the
// leases' freshness: what could not be written is written on the next refresh.
//
//   CallLeases leases(redis, {.router_id = "cr-1f3a", .address = "10.0.0.7:50051"});
//   leases.Hold("CA…");                 // the call is live here
//   auto owner = leases.Owner("CA…");   // from any replica
//   leases.Release("CA…");              // the call ended
class CallLeases {
 public:
  struct Options {
    std::string router_id;
    std::string address;
    absl::Duration ttl = absl::Seconds(15);
    std::string key_prefix = "dialtone:{calls}";  // tests use their own
  };

  CallLeases(redis::RedisPool& redis, Options options);
  // Stops the worker. Leases still held are left to lapse (and be recovered by a replica).
  ~CallLeases();
  CallLeases(const CallLeases&) = delete;
  CallLeases& operator=(const CallLeases&) = delete;

  const std::string& router_id() const { return options_.router_id; }
  const std::string& address() const { return options_.address; }
  absl::Duration ttl() const { return options_.ttl; }

  // Thread-safe, non-blocking.
  void Hold(const std::string& call_sid);
  void Release(const std::string& call_sid);

  // Blocking. The router holding a live lease on the call; NotFound when none does (the call
  // ended, never existed, or its owner died).
  absl::StatusOr<CallOwner> Owner(const std::string& call_sid);
  // Blocking. Claims up to `max` calls whose lease lapsed: each is then this replica's to end
  // for `claim_for` (if this replica dies too, the claim lapses and another takes it over).
  absl::StatusOr<std::vector<LapsedCall>> ClaimLapsed(int max, absl::Duration claim_for);
  // Blocking. Drops a recovered call's lease.
  absl::Status Forget(const std::string& call_sid);
  // Waits (at most `timeout`) until every Hold and Release queued before it reached Redis or
  // failed. For tests and shutdown.
  bool Flush(absl::Duration timeout);

 private:
  enum class Op { kHold, kRelease };
  void Loop();
  void Write(Op op, const std::vector<std::string>& call_sids);

  redis::RedisPool& redis_;
  const Options options_;
  const std::vector<std::string> keys_;  // the leases, the owners
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<Op, std::string>> queue_ ABSL_GUARDED_BY(mu_);
  uint64_t queued_ ABSL_GUARDED_BY(mu_) = 0;  // ops ever queued
  uint64_t done_ ABSL_GUARDED_BY(mu_) = 0;    // ops written (or failed)
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::set<std::string> held_;  // worker thread only
  std::thread worker_;
};

}  // namespace dialtone::call_router

// Reaches the other call-router replicas: an UpdateCall for a call another router owns goes to
// that router (found by its lease), marked as forwarded so it is never forwarded again.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "dialtone/callrouter/v1/call_router.grpc.pb.h"

namespace dialtone::call_router {

// gRPC metadata key of a forwarded request (its value: the forwarding router's ID).
inline constexpr char kForwardedHeader[] = "x-dialtone-forwarded-by";

// One channel per peer address, kept. Thread-safe.
class PeerRouters {
 public:
  explicit PeerRouters(std::string own_router_id) : own_id_(std::move(own_router_id)) {}
  grpc::Status UpdateCall(const std::string& address,
                          const callrouter::v1::UpdateCallRequest& request,
                          callrouter::v1::Call* response);

 private:
  callrouter::v1::CallRouter::Stub& StubFor(const std::string& address);

  const std::string own_id_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<callrouter::v1::CallRouter::Stub>> stubs_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace dialtone::call_router

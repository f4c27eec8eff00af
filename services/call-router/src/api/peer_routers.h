// Reaches the other call-router replicas: an UpdateCall, CreateStream or UpdateStream for a call
// another router owns goes to that router (found by its lease), marked as forwarded so it is
// never forwarded again.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "calls/call_leases.h"
#include "calls/session_deps.h"
#include "dialtone/callrouter/v1/call_router.grpc.pb.h"
#include "dialtone/callrouter/v1/router_peers.grpc.pb.h"
#include "dialtone/rpc/tls_config.h"

namespace dialtone::call_router {

// gRPC metadata key of a forwarded request (its value: the forwarding router's ID).
inline constexpr char kForwardedHeader[] = "x-dialtone-forwarded-by";

// One channel per peer address, kept. Thread-safe.
class PeerRouters {
 public:
  // `tls`: how every peer is dialled (the same settings as our own server).
  PeerRouters(std::string own_router_id, rpc::TlsConfig tls)
      : own_id_(std::move(own_router_id)), tls_(std::move(tls)) {}
  grpc::Status UpdateCall(const std::string& address,
                          const callrouter::v1::UpdateCallRequest& request,
                          callrouter::v1::Call* response);
  grpc::Status CreateStream(const std::string& address,
                            const callrouter::v1::CreateStreamRequest& request,
                            callrouter::v1::Stream* response);
  grpc::Status UpdateStream(const std::string& address,
                            const callrouter::v1::UpdateStreamRequest& request,
                            callrouter::v1::Stream* response);
  // Which of `call_sids` the router `owner` runs now (within 2 s). NotFound when another
  // process answers at its address (it restarted); Unavailable when nothing does.
  absl::StatusOr<std::vector<std::string>> LiveCalls(const CallOwner& owner,
                                                     const std::vector<std::string>& call_sids);

 private:
  struct Peer {
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<callrouter::v1::CallRouter::Stub> calls;
    std::unique_ptr<callrouter::v1::RouterPeers::Stub> peers;
  };
  Peer& PeerAt(const std::string& address);
  // The context of a request forwarded to the owner: marked, with the owner's time to answer.
  std::unique_ptr<grpc::ClientContext> ForwardedContext() const;

  const std::string own_id_;
  const rpc::TlsConfig tls_;
  std::mutex mu_;
  std::map<std::string, Peer> peers_ ABSL_GUARDED_BY(mu_);
};

// Serves RouterPeers from the calls live in this process.
class RouterPeersService final : public callrouter::v1::RouterPeers::Service {
 public:
  RouterPeersService(std::string router_id, call_router::LiveCalls& live)
      : router_id_(std::move(router_id)), live_(live) {}
  grpc::Status LiveCalls(grpc::ServerContext*, const callrouter::v1::LiveCallsRequest* request,
                         callrouter::v1::LiveCallsResponse* response) override;

 private:
  const std::string router_id_;
  call_router::LiveCalls& live_;
};

}  // namespace dialtone::call_router

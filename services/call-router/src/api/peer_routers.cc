// PeerRouters: forwarded UpdateCall, CreateStream and UpdateStream.
#include "api/peer_routers.h"

#include <chrono>

#include <grpcpp/grpcpp.h>

namespace dialtone::call_router {

PeerRouters::Peer& PeerRouters::PeerAt(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  Peer& peer = peers_[address];
  if (peer.channel == nullptr) {
    peer.channel = rpc::OpenChannel(address, tls_);
    peer.calls = callrouter::v1::CallRouter::NewStub(peer.channel);
    peer.peers = callrouter::v1::RouterPeers::NewStub(peer.channel);
  }
  return peer;
}

std::unique_ptr<grpc::ClientContext> PeerRouters::ForwardedContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata(kForwardedHeader, own_id_);
  // The owner waits up to 5 s for its SIP thread and 5 s for its store.
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(12));
  return context;
}

grpc::Status PeerRouters::UpdateCall(const std::string& address,
                                     const callrouter::v1::UpdateCallRequest& request,
                                     callrouter::v1::Call* response) {
  return PeerAt(address).calls->UpdateCall(ForwardedContext().get(), request, response);
}

grpc::Status PeerRouters::CreateStream(const std::string& address,
                                       const callrouter::v1::CreateStreamRequest& request,
                                       callrouter::v1::Stream* response) {
  return PeerAt(address).calls->CreateStream(ForwardedContext().get(), request, response);
}

grpc::Status PeerRouters::UpdateStream(const std::string& address,
                                       const callrouter::v1::UpdateStreamRequest& request,
                                       callrouter::v1::Stream* response) {
  return PeerAt(address).calls->UpdateStream(ForwardedContext().get(), request, response);
}

absl::StatusOr<std::vector<std::string>> PeerRouters::LiveCalls(
    const CallOwner& owner, const std::vector<std::string>& call_sids) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  callrouter::v1::LiveCallsRequest request;
  for (const auto& sid : call_sids) request.add_call_sids(sid);
  callrouter::v1::LiveCallsResponse response;
  grpc::Status s = PeerAt(owner.address).peers->LiveCalls(&context, request, &response);
  if (!s.ok()) return absl::UnavailableError(s.error_message());
  if (response.router_id() != owner.router_id) {
    return absl::NotFoundError("another router answers at the owner's address");
  }
  return std::vector<std::string>(response.live_call_sids().begin(),
                                  response.live_call_sids().end());
}

grpc::Status RouterPeersService::LiveCalls(grpc::ServerContext*,
                                           const callrouter::v1::LiveCallsRequest* request,
                                           callrouter::v1::LiveCallsResponse* response) {
  response->set_router_id(router_id_);
  for (const auto& sid : request->call_sids()) {
    if (live_.Find(sid) != nullptr) response->add_live_call_sids(sid);
  }
  return grpc::Status::OK;
}

}  // namespace dialtone::call_router

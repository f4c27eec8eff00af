// PeerRouters: forwarded UpdateCall.
#include "api/peer_routers.h"

#include <chrono>

#include <grpcpp/grpcpp.h>

namespace dialtone::call_router {

callrouter::v1::CallRouter::Stub& PeerRouters::StubFor(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& stub = stubs_[address];
  if (stub == nullptr) {
    stub = callrouter::v1::CallRouter::NewStub(
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  }
  return *stub;
}

grpc::Status PeerRouters::UpdateCall(const std::string& address,
                                     const callrouter::v1::UpdateCallRequest& request,
                                     callrouter::v1::Call* response) {
  grpc::ClientContext context;
  context.AddMetadata(kForwardedHeader, own_id_);
  // The owner waits up to 5 s for its SIP thread and 5 s for its store.
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(12));
  return StubFor(address).UpdateCall(&context, request, response);
}

}  // namespace dialtone::call_router

// REST Applications and IncomingPhoneNumbers: the same five operations (list with filters,
// create, fetch, update of the fields given, delete) over call-router's gRPC, written once.
#pragma once

#include <memory>
#include <optional>

#include "adapters/resource_routes.h"
#include "dialtone/callrouter/v1/call_router.grpc.pb.h"

namespace dialtone::rest_gateway {

// Thread-safe (gRPC stubs are); runs on the HTTP server's I/O threads.
class NumberResources final : public ResourceRoutes {
 public:
  explicit NumberResources(std::shared_ptr<grpc::ChannelInterface> call_router);

  std::optional<web::HttpServer::Response> Handle(const web::HttpServer::Request& request,
                                                  const ApiRoute& route) override;

 private:
  std::unique_ptr<callrouter::v1::CallRouter::Stub> stub_;
};

}  // namespace dialtone::rest_gateway

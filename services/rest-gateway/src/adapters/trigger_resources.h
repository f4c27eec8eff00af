// REST Usage/Triggers (create, list, fetch, update, delete) translated to the Triggers gRPC
// service.
#pragma once

#include <memory>
#include <optional>

#include "adapters/resource_routes.h"
#include "dialtone/triggers/v1/triggers.grpc.pb.h"
#include "dialtone/web/http_server.h"
#include "domain/api_route.h"

namespace dialtone::rest_gateway {

// Thread-safe; runs on the HTTP server's I/O threads.
class TriggerResources final : public ResourceRoutes {
 public:
  explicit TriggerResources(std::shared_ptr<grpc::ChannelInterface> channel);

  std::optional<web::HttpServer::Response> Handle(const web::HttpServer::Request& request,
                                                  const ApiRoute& route) override;

 private:
  std::unique_ptr<triggers::v1::Triggers::Stub> stub_;
};

}  // namespace dialtone::rest_gateway

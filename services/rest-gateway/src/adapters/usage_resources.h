// REST Usage/Records (and Daily, Monthly, Yearly, AllTime, Today, Yesterday, ThisMonth,
// LastMonth) translated to usage-metering's QueryUsage.
#pragma once

#include <memory>
#include <optional>

#include "adapters/resource_routes.h"
#include "dialtone/usage/v1/usage_metering.grpc.pb.h"
#include "dialtone/web/http_server.h"
#include "domain/api_route.h"

namespace dialtone::rest_gateway {

// Thread-safe; runs on the HTTP server's I/O threads.
class UsageResources final : public ResourceRoutes {
 public:
  explicit UsageResources(std::shared_ptr<grpc::ChannelInterface> channel);

  // nullopt when the route is not under Usage/Records.
  std::optional<web::HttpServer::Response> Handle(const web::HttpServer::Request& request,
                                                  const ApiRoute& route) override;

 private:
  std::unique_ptr<usage::v1::UsageMetering::Stub> stub_;
};

}  // namespace dialtone::rest_gateway

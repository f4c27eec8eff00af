// REST Streams of a call over call-router's gRPC: Calls/{CallSid}/Streams create (a forked Media
// Stream: Url, Name, Track, StatusCallback, Parameter1.Name / Parameter1.Value ...) and
// Calls/{CallSid}/Streams/{Sid} update (Status=stopped, by the stream's SID or its name).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "adapters/resource_routes.h"
#include "dialtone/callrouter/v1/call_router.grpc.pb.h"

namespace dialtone::rest_gateway {

// Thread-safe (the gRPC stub is); runs on the HTTP server's I/O threads.
//
//   StreamResources streams(call_router_channel);
//   ApiHandler api(accounts, {&calls, &streams, ...});
class StreamResources final : public ResourceRoutes {
 public:
  explicit StreamResources(std::shared_ptr<grpc::ChannelInterface> call_router);

  std::optional<web::HttpServer::Response> Handle(const web::HttpServer::Request& request,
                                                  const ApiRoute& route) override;

 private:
  web::HttpServer::Response Create(const web::HttpServer::Request& req, const ApiRoute& route);
  web::HttpServer::Response Update(const web::HttpServer::Request& req, const ApiRoute& route);

  std::unique_ptr<callrouter::v1::CallRouter::Stub> stub_;
};

}  // namespace dialtone::rest_gateway

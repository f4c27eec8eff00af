// REST resources served by call-router: Applications, IncomingPhoneNumbers, Calls and
// Recordings (also under Calls/{CallSid}/Recordings), translated to CallRouter gRPC calls.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "dialtone/web/http_server.h"
#include "adapters/resource_routes.h"
#include "dialtone/callrouter/v1/call_router.grpc.pb.h"
#include "dialtone/media/v1/media_layer.grpc.pb.h"
#include "domain/api_route.h"

namespace dialtone::rest_gateway {

// Thread-safe (gRPC stubs are); runs on the HTTP server's I/O threads.
class CallRouterResources final : public ResourceRoutes {
 public:
  // `media` reaches the media layer, where recordings' audio is.
  CallRouterResources(std::shared_ptr<grpc::ChannelInterface> channel,
                      std::shared_ptr<grpc::ChannelInterface> media);

  // nullopt when the route is not one of these resources. `account_sid` is authenticated.
  std::optional<web::HttpServer::Response> Handle(const web::HttpServer::Request& request,
                                             const ApiRoute& route) override;

 private:
  web::HttpServer::Response Applications(const web::HttpServer::Request& req, const ApiRoute& route);
  web::HttpServer::Response Numbers(const web::HttpServer::Request& req, const ApiRoute& route);
  web::HttpServer::Response Calls(const web::HttpServer::Request& req, const ApiRoute& route);
  web::HttpServer::Response Recordings(const web::HttpServer::Request& req, const ApiRoute& route,
                                  const std::string& call_sid);

  // GET /Recordings/{Sid}.wav | .mp3
  web::HttpServer::Response RecordingAudio(const web::HttpServer::Request& req,
                                           const ApiRoute& route, const std::string& sid,
                                           bool mp3);

  std::unique_ptr<callrouter::v1::CallRouter::Stub> stub_;
  std::unique_ptr<media::v1::MediaLayer::Stub> media_;
};

}  // namespace dialtone::rest_gateway

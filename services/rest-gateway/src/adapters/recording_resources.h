// REST Recordings over call-router's gRPC (list by CallSid, also at Calls/{CallSid}/Recordings;
// fetch; delete), and their audio at Recordings/{Sid}.wav and .mp3 from the media layer.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "adapters/resource_routes.h"
#include "dialtone/callrouter/v1/call_router.grpc.pb.h"
#include "dialtone/media/v1/media_layer.grpc.pb.h"

namespace dialtone::rest_gateway {

// Thread-safe (gRPC stubs are); runs on the HTTP server's I/O threads.
class RecordingResources final : public ResourceRoutes {
 public:
  // `media` reaches the media layer, where recordings' audio is.
  RecordingResources(std::shared_ptr<grpc::ChannelInterface> call_router,
                     std::shared_ptr<grpc::ChannelInterface> media);

  std::optional<web::HttpServer::Response> Handle(const web::HttpServer::Request& request,
                                                  const ApiRoute& route) override;

  // The audio of `route.account_sid`'s recording `sid` (WAV, or MP3): what GET of its media URL
  // answers, once the caller may have it. Another account's SID is 404 like a missing one.
  web::HttpServer::Response Audio(const web::HttpServer::Request& req, const ApiRoute& route,
                                  const std::string& sid, bool mp3);

 private:
  // `call_sid` set: the list under Calls/{CallSid}/Recordings.
  web::HttpServer::Response Serve(const web::HttpServer::Request& req, const ApiRoute& route,
                                  const std::string& call_sid);

  std::unique_ptr<callrouter::v1::CallRouter::Stub> stub_;
  std::unique_ptr<media::v1::MediaLayer::Stub> media_;
};

}  // namespace dialtone::rest_gateway

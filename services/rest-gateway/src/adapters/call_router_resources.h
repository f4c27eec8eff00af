// REST resources served by call-router: Applications, IncomingPhoneNumbers, Calls and
// Recordings (also under Calls/{CallSid}/Recordings), translated to CallRouter gRPC calls.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "adapters/resource_routes.h"
#include "dialtone/callrouter/v1/call_router.grpc.pb.h"
#include "dialtone/media/v1/media_layer.grpc.pb.h"
#include "dialtone/web/http_server.h"
#include "domain/api_route.h"

namespace dialtone::rest_gateway {

// Answers to GET of ended calls (which never change), by account, SID and format. A DELETE
// through this gateway drops its entry; one through another gateway leaves it at most kTtl.
// Thread-safe.
class EndedCallCache {
 public:
  std::optional<web::HttpServer::Response> Get(const std::string& key);
  void Put(const std::string& key, const web::HttpServer::Response& response);
  void Erase(const std::string& key);

 private:
  static constexpr size_t kMaxEntries = 20000;
  static constexpr absl::Duration kTtl = absl::Seconds(30);
  struct Entry {
    web::HttpServer::Response response;
    absl::Time expires;
  };
  std::mutex mu_;
  std::map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

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
  web::HttpServer::Response Applications(const web::HttpServer::Request& req,
                                         const ApiRoute& route);
  web::HttpServer::Response Numbers(const web::HttpServer::Request& req, const ApiRoute& route);
  web::HttpServer::Response Calls(const web::HttpServer::Request& req, const ApiRoute& route);
  web::HttpServer::Response Recordings(const web::HttpServer::Request& req, const ApiRoute& route,
                                       const std::string& call_sid);

  // GET /Recordings/{Sid}.wav | .mp3
  web::HttpServer::Response RecordingAudio(const web::HttpServer::Request& req,
                                           const ApiRoute& route, const std::string& sid, bool mp3);

  std::unique_ptr<callrouter::v1::CallRouter::Stub> stub_;
  std::unique_ptr<media::v1::MediaLayer::Stub> media_;
  EndedCallCache ended_calls_;
};

}  // namespace dialtone::rest_gateway

// REST Calls over call-router's gRPC: list (To, From, Status, ParentCallSid, StartTime/EndTime,
// paging), create, fetch, update (redirect, hang up, cancel) and delete.
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

namespace dialtone::rest_gateway {

// Answers to GET of ended calls (which never change), by account, SID and format. A DELETE
// through this gateway drops its entry; one through another replica reaches every gateway as a
// PostgreSQL notification (ForgetEndedCall). Thread-safe.
class EndedCallCache {
 public:
  std::optional<web::HttpServer::Response> Get(const std::string& key);
  void Put(const std::string& key, const web::HttpServer::Response& response);
  void Erase(const std::string& key);
  void Clear();

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

// Thread-safe (gRPC stubs and the cache are); runs on the HTTP server's I/O threads.
class CallResources final : public ResourceRoutes {
 public:
  explicit CallResources(std::shared_ptr<grpc::ChannelInterface> call_router);

  std::optional<web::HttpServer::Response> Handle(const web::HttpServer::Request& request,
                                                  const ApiRoute& route) override;
  // A call deleted through any replica ("<AccountSid>/<CallSid>"), or "" for all of them.
  void ForgetEndedCall(const std::string& account_and_sid);

 private:
  web::HttpServer::Response Serve(const web::HttpServer::Request& req, const ApiRoute& route);

  std::unique_ptr<callrouter::v1::CallRouter::Stub> stub_;
  EndedCallCache ended_calls_;
};

}  // namespace dialtone::rest_gateway

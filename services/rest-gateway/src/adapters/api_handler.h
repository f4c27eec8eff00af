// The public REST API: authenticates each request (HTTP Basic, Account SID + auth token) and
// answers Twilio's 2010-04-01 paths: the Account itself, and the resources of the services
// behind it; any other path is 404 / 20404.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>
#include "adapters/account_repository.h"

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "adapters/resource_routes.h"
#include "dialtone/web/http_server.h"
#include "domain/api_route.h"

namespace dialtone::rest_gateway {

// Stateless apart from the repository; runs on the HTTP server's I/O threads.
class ApiHandler {
 public:
  // Called once per authenticated request with its account (usage: api-requests).
  using OnRequest = std::function<void(const std::string& account_sid)>;

  // Resources are tried in order; a path none of them claims is 404.
  // At most `max_concurrent` requests of one account at a time; more get 429 / 20429.
  ApiHandler(AccountRepository& accounts, std::vector<ResourceRoutes*> resources,
             OnRequest on_request = {}, int max_concurrent = 100)
      : accounts_(accounts),
        resources_(std::move(resources)),
        on_request_(std::move(on_request)),
        max_concurrent_(max_concurrent) {}

  web::HttpServer::Response Handle(const web::HttpServer::Request& request);
  // An account changed (through any replica: a PostgreSQL notification), or "" for all of them:
  // its next request reads it afresh. Thread-safe.
  void ForgetAccount(const std::string& account_sid);

 private:
  web::HttpServer::Response Route(const web::HttpServer::Request& request, const Account& account,
                                  ResponseFormat format);

  AccountRepository& accounts_;
  std::vector<ResourceRoutes*> resources_;
  OnRequest on_request_;
  int max_concurrent_;
  // Accounts that authenticated in the last second, by SID: a burst of requests costs one
  // PostgreSQL read. A change through any replica drops the entry at once (ForgetAccount); the
  // second is the bound should a notification be lost.
  struct CachedAuth {
    Account account;
    std::chrono::steady_clock::time_point expires;
  };
  std::map<std::string, CachedAuth> auth_cache_ ABSL_GUARDED_BY(mu_);
  absl::StatusOr<Account> Authenticate(const std::string& sid, const std::string& token);
  std::mutex mu_;
  uint64_t forgotten_ ABSL_GUARDED_BY(mu_) =
      0;                                  // ForgetAccount calls: a read overtaken is not kept
  std::map<std::string, int> in_flight_;  // account SID -> requests being handled
};

}  // namespace dialtone::rest_gateway

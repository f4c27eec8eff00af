// The public REST API: authenticates each request (HTTP Basic, Account SID + auth token) and
// answers Twilio's 2010-04-01 paths: the Account itself, and the resources of the services
// behind it; any other path is 404 / 20404.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>
#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "adapters/account_repository.h"
#include "adapters/account_settings_repository.h"
#include "adapters/recording_resources.h"
#include "adapters/resource_routes.h"
#include "dialtone/redis/rate_limiter.h"
#include "dialtone/web/http_server.h"
#include "domain/api_route.h"

namespace dialtone::rest_gateway {

// What the handler enforces beyond credentials; each part is optional (tests leave some out).
struct ApiGuards {
  // Per-account settings: API request rate, and whether recording media needs credentials.
  AccountSettingsRepository* settings = nullptr;
  // Where API request rates are counted (shared by the gateway replicas); none: no rate limit.
  redis::RateLimiter* limiter = nullptr;
  // Serves recording media (.wav, .mp3, or no extension) to anyone holding the URL, unless the
  // account asks for its credentials; none: media only through authenticated requests.
  RecordingResources* recordings = nullptr;
};

// Stateless apart from the repository; runs on the HTTP server's I/O threads.
class ApiHandler {
 public:
  // Called once per authenticated request with its account (usage: api-requests).
  using OnRequest = std::function<void(const std::string& account_sid)>;

  // Resources are tried in order; a path none of them claims is 404.
  // At most `max_concurrent` requests of one account at a time; more get 429 / 20429.
  ApiHandler(AccountRepository& accounts, std::vector<ResourceRoutes*> resources,
             OnRequest on_request = {}, int max_concurrent = 100, ApiGuards guards = {})
      : accounts_(accounts),
        resources_(std::move(resources)),
        on_request_(std::move(on_request)),
        max_concurrent_(max_concurrent),
        guards_(guards) {}

  web::HttpServer::Response Handle(const web::HttpServer::Request& request);
  // An account changed (through any replica: a PostgreSQL notification), or "" for all of them:
  // its next request reads it afresh. Thread-safe.
  void ForgetAccount(const std::string& account_sid);

 private:
  web::HttpServer::Response Route(const web::HttpServer::Request& request, const Account& account,
                                  ResponseFormat format);

  // Recording media at its public URL: open, or behind the account's credentials.
  web::HttpServer::Response Media(const web::HttpServer::Request& request,
                                  const RecordingMediaPath& media);
  // The account whose HTTP Basic credentials `request` carries; Unauthenticated when they are
  // missing or wrong, Unavailable when they cannot be checked.
  absl::StatusOr<Account> CallerOf(const web::HttpServer::Request& request);
  // The account's settings, cached like its credentials; defaults when none are kept.
  AccountSettings SettingsOf(const std::string& account_sid);
  // 429 / 20429 when the account is over its API request rate; nullopt otherwise (Redis out of
  // reach lets the request through, logged).
  std::optional<web::HttpServer::Response> OverRate(const std::string& account_sid,
                                                    ResponseFormat format);

  AccountRepository& accounts_;
  std::vector<ResourceRoutes*> resources_;
  OnRequest on_request_;
  int max_concurrent_;
  ApiGuards guards_;
  std::atomic<int64_t> unmetered_until_{0};  // steady clock ticks: Redis was out of reach
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
  struct CachedSettings {
    AccountSettings settings;
    std::chrono::steady_clock::time_point expires;
  };
  std::map<std::string, CachedSettings> settings_cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dialtone::rest_gateway

// ApiHandler: auth, routing and the Account resource.
#include "adapters/api_handler.h"

#include <algorithm>

#include <boost/json.hpp>

#include "adapters/api_response.h"
#include "dialtone/log/log.h"
#include "dialtone/webhook/form_encoding.h"
#include "domain/account_representation.h"
#include "domain/api_error.h"
#include "domain/api_route.h"
#include "domain/basic_auth.h"

namespace dialtone::rest_gateway {
namespace {

namespace http = boost::beast::http;

ApiError Unavailable() { return {503, 20503, "Service unavailable, try again"}; }

// 401 / 20003 for missing or wrong credentials, 503 when they could not be checked.
web::HttpServer::Response RefusedCaller(const absl::Status& s, ResponseFormat format) {
  return ErrorReply(absl::IsUnauthenticated(s) ? AuthenticationError() : Unavailable(), format);
}

web::HttpServer::Response AccountReply(const Account& a, ResponseFormat format) {
  return ResourceReply(200, format, "Account", AccountToJson(a));
}

}  // namespace

absl::StatusOr<Account> ApiHandler::Authenticate(const std::string& sid, const std::string& token) {
  auto now = std::chrono::steady_clock::now();
  uint64_t generation = 0;
  {
    std::lock_guard lock(mu_);
    generation = forgotten_;
    auto it = auth_cache_.find(sid);
    if (it != auth_cache_.end() && it->second.expires > now &&
        CredentialsMatch(it->second.account, token)) {
      return it->second.account;
    }
  }
  auto account = accounts_.Get(sid);
  if (absl::IsNotFound(account.status()) || absl::IsInvalidArgument(account.status())) {
    return absl::UnauthenticatedError("unknown account");
  }
  if (!account.ok()) return account.status();
  if (!CredentialsMatch(*account, token)) return absl::UnauthenticatedError("wrong token");
  std::lock_guard lock(mu_);
  if (generation != forgotten_) return account;          // changed while we read: do not keep it
  if (auth_cache_.size() > 100000) auth_cache_.clear();  // bound memory under odd traffic
  auth_cache_[sid] = {*account, now + std::chrono::seconds(1)};
  return account;
}

void ApiHandler::ForgetAccount(const std::string& account_sid) {
  std::lock_guard lock(mu_);
  ++forgotten_;
  if (account_sid.empty()) {
    auth_cache_.clear();
    settings_cache_.clear();
  } else {
    auth_cache_.erase(account_sid);
    settings_cache_.erase(account_sid);
  }
}

absl::StatusOr<Account> ApiHandler::CallerOf(const web::HttpServer::Request& req) {
  auto creds = ParseBasicAuth(std::string(req[http::field::authorization]));
  if (!creds) return absl::UnauthenticatedError("no credentials");
  return Authenticate(creds->username, creds->password);
}

AccountSettings ApiHandler::SettingsOf(const std::string& account_sid) {
  if (guards_.settings == nullptr) return AccountSettings{};
  auto now = std::chrono::steady_clock::now();
  uint64_t generation = 0;
  {
    std::lock_guard lock(mu_);
    generation = forgotten_;
    auto it = settings_cache_.find(account_sid);
    if (it != settings_cache_.end() && it->second.expires > now) return it->second.settings;
  }
  auto stored = guards_.settings->Get(account_sid);
  if (!stored.ok()) return guards_.settings->defaults();  // unknown or unreadable: the defaults
  std::lock_guard lock(mu_);
  if (generation == forgotten_) {
    if (settings_cache_.size() > 100000) settings_cache_.clear();
    settings_cache_[account_sid] = {stored->effective, now + std::chrono::seconds(5)};
  }
  return stored->effective;
}

std::optional<web::HttpServer::Response> ApiHandler::OverRate(const std::string& account_sid,
                                                              ResponseFormat format) {
  if (guards_.limiter == nullptr) return std::nullopt;
  const int rate = SettingsOf(account_sid).api_requests_per_second;
  if (rate <= 0) return std::nullopt;
  const auto now = std::chrono::steady_clock::now();
  if (now.time_since_epoch().count() < unmetered_until_.load()) return std::nullopt;
  auto wait = guards_.limiter->Take("api:" + account_sid, rate, rate);
  if (!wait.ok()) {
    // Not every request waits on a dead Redis: none is metered for the next few seconds.
    unmetered_until_ = (now + std::chrono::seconds(5)).time_since_epoch().count();
    log::Warn("API rates not checked for 5 s: Redis out of reach; requests let through",
              {{"account_sid", account_sid}, {"error", wait.status()}});
    return std::nullopt;
  }
  if (*wait == absl::ZeroDuration()) return std::nullopt;
  auto res = ErrorReply({429, 20429, "Too Many Requests"}, format);
  res.set(http::field::retry_after,
          std::to_string(
              std::max<int64_t>(1, absl::ToInt64Seconds(absl::Ceil(*wait, absl::Seconds(1))))));
  return res;
}

web::HttpServer::Response ApiHandler::Media(const web::HttpServer::Request& req,
                                            const RecordingMediaPath& media) {
  ResponseFormat format = FormatOf(std::string(req.target()));
  ApiRoute route{.account_sid = media.account_sid,
                 .resource = {"Recordings", media.recording_sid},
                 .format = format};
  if (SettingsOf(media.account_sid).media_http_auth) {
    auto account = CallerOf(req);
    if (!account.ok()) return RefusedCaller(account.status(), format);
    // Another account's media looks exactly like missing media.
    if (account->sid != media.account_sid) {
      std::string target(req.target());
      return ErrorReply(NotFoundError(target.substr(0, target.find('?'))), format);
    }
  }
  if (auto refused = OverRate(media.account_sid, format)) return std::move(*refused);
  return guards_.recordings->Audio(req, route, media.recording_sid, media.mp3);
}

web::HttpServer::Response ApiHandler::Handle(const web::HttpServer::Request& req) {
  std::string target(req.target());
  ResponseFormat format = FormatOf(target);

  if (guards_.recordings != nullptr && req.method() == http::verb::get) {
    if (auto media = ParseRecordingMediaPath(target)) return Media(req, *media);
  }

  auto account = CallerOf(req);
  if (!account.ok()) return RefusedCaller(account.status(), format);

  if (auto refused = OverRate(account->sid, format)) return std::move(*refused);
  if (on_request_) on_request_(account->sid);

  // Per-account concurrency: count this request while it runs.
  {
    std::lock_guard lock(mu_);
    int& n = in_flight_[account->sid];
    if (n >= max_concurrent_) {
      return ErrorReply({429, 20429, "Too many concurrent requests"}, format);
    }
    ++n;
  }
  struct Release {
    ApiHandler* self;
    const std::string& sid;
    ~Release() {
      std::lock_guard lock(self->mu_);
      if (--self->in_flight_[sid] == 0) self->in_flight_.erase(sid);
    }
  } release{this, account->sid};
  return Route(req, *account, format);
}

web::HttpServer::Response ApiHandler::Route(const web::HttpServer::Request& req,
                                            const Account& acct, ResponseFormat format) {
  const Account* account = &acct;
  std::string target(req.target());
  std::string path = target.substr(0, target.find('?'));
  auto route = ParseApiRoute(target);
  // Another account's resources look exactly like missing ones.
  if (!route || route->account_sid != account->sid) return ErrorReply(NotFoundError(path), format);

  if (route->resource.empty()) {
    if (req.method() == http::verb::get) return AccountReply(*account, format);
    if (req.method() == http::verb::post) {
      auto params = webhook::FormDecode(req.body());
      if (!params.ok()) {
        return ErrorReply({400, 20001, "Request body is not valid form encoding"}, format);
      }
      std::optional<std::string> name;
      std::optional<AccountStatus> status;
      for (const auto& [k, v] : *params) {
        if (k == "FriendlyName") name = v;
        if (k == "Status") {
          status = ParseAccountStatus(v);
          if (!status) {
            return ErrorReply({400, 20001, "Status must be one of active, suspended, closed"},
                              format);
          }
        }
      }
      auto updated = accounts_.Update(account->sid, name, status);
      if (!updated.ok()) return ErrorReply(Unavailable(), format);
      return AccountReply(*updated, format);
    }
    return ErrorReply(MethodNotAllowedError(), format);
  }
  for (ResourceRoutes* resources : resources_) {
    if (auto res = resources->Handle(req, *route)) return std::move(*res);
  }
  return ErrorReply(NotFoundError(path), format);
}

}  // namespace dialtone::rest_gateway

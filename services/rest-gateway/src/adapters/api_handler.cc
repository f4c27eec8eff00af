// ApiHandler: auth, routing and the Account resource.
#include "adapters/api_handler.h"

#include <boost/json.hpp>

#include "adapters/api_response.h"
#include "dialtone/webhook/form_encoding.h"
#include "domain/account_representation.h"
#include "domain/api_error.h"
#include "domain/api_route.h"
#include "domain/basic_auth.h"

namespace dialtone::rest_gateway {
namespace {

namespace http = boost::beast::http;

ApiError Unavailable() { return {503, 20503, "Service unavailable, try again"}; }

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
  } else {
    auth_cache_.erase(account_sid);
  }
}

web::HttpServer::Response ApiHandler::Handle(const web::HttpServer::Request& req) {
  std::string target(req.target());
  ResponseFormat format = FormatOf(target);

  auto creds = ParseBasicAuth(std::string(req[http::field::authorization]));
  if (!creds) return ErrorReply(AuthenticationError(), format);
  auto account = Authenticate(creds->username, creds->password);
  if (absl::IsUnauthenticated(account.status())) return ErrorReply(AuthenticationError(), format);
  if (!account.ok()) return ErrorReply(Unavailable(), format);

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

// ApiHandler: auth, routing and the Account resource.
#include "adapters/api_handler.h"

#include <boost/json.hpp>

#include "dialtone/webhook/form_encoding.h"
#include "domain/account_representation.h"
#include "domain/api_error.h"
#include "domain/api_route.h"
#include "domain/basic_auth.h"

namespace dialtone::rest_gateway {
namespace {

namespace http = boost::beast::http;

HttpServer::Response Reply(int status, ResponseFormat format, std::string body) {
  HttpServer::Response res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, format == ResponseFormat::kJson
                                         ? "application/json; charset=utf-8"
                                         : "application/xml; charset=utf-8");
  res.body() = std::move(body);
  return res;
}

HttpServer::Response Error(const ApiError& e, ResponseFormat format) {
  auto res = Reply(e.http_status, format,
                   format == ResponseFormat::kJson ? ApiErrorJson(e) : ApiErrorXml(e));
  if (e.http_status == 401) res.set(http::field::www_authenticate, "Basic realm=\"Twilio API\"");
  return res;
}

ApiError Unavailable() { return {503, 20503, "Service unavailable, try again"}; }

HttpServer::Response AccountReply(const Account& a, ResponseFormat format) {
  boost::json::object o = AccountToJson(a);
  return Reply(200, format,
               format == ResponseFormat::kJson ? boost::json::serialize(o)
                                               : JsonToTwilioXml("Account", o));
}

}  // namespace

HttpServer::Response ApiHandler::Handle(const HttpServer::Request& req) {
  std::string target(req.target());
  ResponseFormat format = FormatOf(target);

  auto creds = ParseBasicAuth(std::string(req[http::field::authorization]));
  if (!creds) return Error(AuthenticationError(), format);
  auto account = accounts_.Get(creds->username);
  if (absl::IsNotFound(account.status()) || absl::IsInvalidArgument(account.status())) {
    return Error(AuthenticationError(), format);
  }
  if (!account.ok()) return Error(Unavailable(), format);
  if (!CredentialsMatch(*account, creds->password)) return Error(AuthenticationError(), format);

  std::string path = target.substr(0, target.find('?'));
  auto route = ParseApiRoute(target);
  // Another account's resources look exactly like missing ones.
  if (!route || route->account_sid != account->sid) return Error(NotFoundError(path), format);

  if (route->resource.empty()) {
    if (req.method() == http::verb::get) return AccountReply(*account, format);
    if (req.method() == http::verb::post) {
      auto params = webhook::FormDecode(req.body());
      if (!params.ok()) {
        return Error({400, 20001, "Request body is not valid form encoding"}, format);
      }
      std::optional<std::string> name;
      std::optional<AccountStatus> status;
      for (const auto& [k, v] : *params) {
        if (k == "FriendlyName") name = v;
        if (k == "Status") {
          status = ParseAccountStatus(v);
          if (!status) {
            return Error({400, 20001, "Status must be one of active, suspended, closed"},
                         format);
          }
        }
      }
      auto updated = accounts_.Update(account->sid, name, status);
      if (!updated.ok()) return Error(Unavailable(), format);
      return AccountReply(*updated, format);
    }
    return Error(MethodNotAllowedError(), format);
  }
  return Error(NotFoundError(path), format);
}

}  // namespace dialtone::rest_gateway

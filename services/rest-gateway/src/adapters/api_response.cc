// Response helpers.
#include "adapters/api_response.h"

#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "dialtone/rpc/status.h"
#include "dialtone/webhook/form_encoding.h"
#include "domain/account_representation.h"

namespace dialtone::rest_gateway {

namespace http = boost::beast::http;

web::HttpServer::Response Reply(int status, ResponseFormat format, std::string body) {
  web::HttpServer::Response res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, format == ResponseFormat::kJson
                                         ? "application/json; charset=utf-8"
                                         : "application/xml; charset=utf-8");
  res.body() = std::move(body);
  return res;
}

web::HttpServer::Response ErrorReply(const ApiError& e, ResponseFormat format) {
  auto res = Reply(e.http_status, format,
                   format == ResponseFormat::kJson ? ApiErrorJson(e) : ApiErrorXml(e));
  if (e.http_status == 401) res.set(http::field::www_authenticate, "Basic realm=\"Twilio API\"");
  return res;
}

web::HttpServer::Response ResourceReply(int status, ResponseFormat format, const std::string& root,
                                        const boost::json::object& resource) {
  return Reply(status, format,
               format == ResponseFormat::kJson ? boost::json::serialize(resource)
                                               : JsonToTwilioXml(root, resource));
}

web::HttpServer::Response NoContent() {
  web::HttpServer::Response res{http::status::no_content, 11};
  return res;
}

boost::json::object PageEnvelope(const std::string& list_path, const std::string& key,
                                 boost::json::array items,
                                 const std::vector<std::pair<std::string, std::string>>& filters,
                                 const PageSpec& page, const std::string& next_token) {
  std::string filter_qs;
  for (const auto& [k, v] : filters) {
    if (k == "PageSize" || k == "Page" || k == "PageToken") continue;
    absl::StrAppend(&filter_qs, webhook::FormEncode({{k, v}}), "&");
  }
  auto uri = [&](int p, const std::string& token) {
    std::string u =
        absl::StrCat(list_path, "?", filter_qs, "PageSize=", page.page_size, "&Page=", p);
    if (!token.empty()) absl::StrAppend(&u, "&PageToken=", token);
    return u;
  };
  boost::json::object o;
  int count = static_cast<int>(items.size());
  o[key] = std::move(items);
  o["page"] = page.page;
  o["page_size"] = page.page_size;
  o["start"] = page.page * page.page_size;
  o["end"] = page.page * page.page_size + (count > 0 ? count - 1 : 0);
  o["first_page_uri"] = uri(0, "");
  o["uri"] = uri(page.page, page.page_token);
  o["next_page_uri"] = next_token.empty() ? boost::json::value(nullptr)
                                          : boost::json::value(uri(page.page + 1, next_token));
  o["previous_page_uri"] = nullptr;
  return o;
}

web::HttpServer::Response ListReply(ResponseFormat format, const std::string& key,
                                    const std::string& root, const std::string& item_root,
                                    boost::json::object envelope) {
  if (format == ResponseFormat::kJson) return Reply(200, format, boost::json::serialize(envelope));
  std::string xml = "<?xml version='1.0' encoding='UTF-8'?>\n<TwilioResponse><" + root + ">";
  for (const auto& item : envelope[key].as_array()) {
    xml += JsonToXmlElement(item_root, item.as_object());
  }
  return Reply(200, format, xml + "</" + root + "></TwilioResponse>");
}

ApiError ApiErrorFromGrpc(const grpc::Status& s, const std::string& path) {
  int code = rpc::TwilioCodeOf(s);
  switch (s.error_code()) {
    case grpc::StatusCode::NOT_FOUND: return NotFoundError(path);
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE: return {400, code != 0 ? code : 20001, s.error_message()};
    case grpc::StatusCode::RESOURCE_EXHAUSTED:  // an account's limit (calls per second, ...)
      return {429, code != 0 ? code : 20429, s.error_message()};
    case grpc::StatusCode::UNIMPLEMENTED:
      return {503, 20503, "This operation is not available yet: " + s.error_message()};
    default: return {503, 20503, "Service unavailable, try again"};
  }
}

}  // namespace dialtone::rest_gateway

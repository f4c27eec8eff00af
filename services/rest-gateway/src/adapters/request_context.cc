// RequestContext: query and form decoding, paging and error replies, once for every resource.
#include "adapters/request_context.h"

#include "absl/strings/numbers.h"
#include "absl/time/time.h"
#include "dialtone/rpc/client.h"
#include "dialtone/webhook/form_encoding.h"

namespace dialtone::rest_gateway {

std::string ParamOf(const Params& params, const std::string& name) {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return "";
}

RequestContext::RequestContext(const web::HttpServer::Request& request, const ApiRoute& route)
    : request_(request), route_(route) {
  std::string target(request.target());
  auto q = target.find('?');
  path_ = target.substr(0, q);
  auto query = webhook::FormDecode(q == std::string::npos ? std::string() : target.substr(q + 1));
  query_ok_ = query.ok();
  if (query_ok_) query_ = *std::move(query);
}

std::optional<Params> RequestContext::Form() const {
  auto p = webhook::FormDecode(request_.body());
  if (!p.ok()) return std::nullopt;
  return *std::move(p);
}

std::string RequestContext::Base() const { return AccountBase(account()); }

std::optional<ApiError> RequestContext::ReadPage(PageSpec* page) const {
  std::string size = Query("PageSize");
  std::string number = Query("Page");
  int n = 0;
  if (!size.empty() && (!absl::SimpleAtoi(size, &n) || n < 1 || n > 1000)) {
    return ApiError{400, 20001, "PageSize must be an integer between 1 and 1000"};
  }
  int p = 0;
  if (!number.empty() && (!absl::SimpleAtoi(number, &p) || p < 0)) {
    return ApiError{400, 20001, "Page must be a non-negative integer"};
  }
  *page = {p, n == 0 ? 50 : n, Query("PageToken")};
  return std::nullopt;
}

std::optional<ApiError> RequestContext::ReadPage(common::v1::PageRequest* page) const {
  PageSpec spec;
  if (auto e = ReadPage(&spec)) return e;
  page->set_page_size(spec.page_size);
  page->set_page(spec.page);
  page->set_page_token(spec.page_token);
  return std::nullopt;
}

web::HttpServer::Response RequestContext::Error(const ApiError& error) const {
  return ErrorReply(error, format());
}

web::HttpServer::Response RequestContext::Fail(const grpc::Status& status) const {
  return ErrorReply(ApiErrorFromGrpc(status, path_), format());
}

web::HttpServer::Response RequestContext::BadForm() const {
  return Error({400, 20001, "Request body is not valid form encoding"});
}

std::unique_ptr<grpc::ClientContext> RequestContext::Deadline() {
  return rpc::ContextWithDeadline(absl::Seconds(10));
}

PageSpec SpecOf(const common::v1::PageRequest& page) {
  return {page.page(), page.page_size(), page.page_token()};
}

std::string AccountBase(const std::string& account_sid) {
  return "/2010-04-01/Accounts/" + account_sid;
}

}  // namespace dialtone::rest_gateway

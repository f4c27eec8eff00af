// UsageResources: subresource -> granularity / relative period, records -> Twilio JSON.
#include "adapters/usage_resources.h"

#include <boost/json.hpp>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "adapters/api_response.h"
#include "adapters/request_context.h"
#include "dialtone/rpc/status.h"
#include "dialtone/webhook/form_encoding.h"
#include "domain/account_representation.h"

namespace dialtone::rest_gateway {
namespace {

namespace pb = dialtone::usage::v1;
namespace http = boost::beast::http;

struct Kind {
  pb::Granularity granularity;
  pb::RelativePeriod relative;
};

// Usage/Records/<Sub>.json -> what metering is asked.
const std::map<std::string, Kind>& Kinds() {
  static const std::map<std::string, Kind> kKinds = {
      {"", {pb::GRANULARITY_ALL_TIME, pb::RELATIVE_PERIOD_UNSPECIFIED}},
      {"AllTime", {pb::GRANULARITY_ALL_TIME, pb::RELATIVE_PERIOD_UNSPECIFIED}},
      {"Daily", {pb::GRANULARITY_DAILY, pb::RELATIVE_PERIOD_UNSPECIFIED}},
      {"Monthly", {pb::GRANULARITY_MONTHLY, pb::RELATIVE_PERIOD_UNSPECIFIED}},
      {"Yearly", {pb::GRANULARITY_YEARLY, pb::RELATIVE_PERIOD_UNSPECIFIED}},
      {"Today", {pb::GRANULARITY_ALL_TIME, pb::RELATIVE_PERIOD_TODAY}},
      {"Yesterday", {pb::GRANULARITY_ALL_TIME, pb::RELATIVE_PERIOD_YESTERDAY}},
      {"ThisMonth", {pb::GRANULARITY_ALL_TIME, pb::RELATIVE_PERIOD_THIS_MONTH}},
      {"LastMonth", {pb::GRANULARITY_ALL_TIME, pb::RELATIVE_PERIOD_LAST_MONTH}},
  };
  return kKinds;
}

boost::json::object RecordJson(const pb::UsageRecord& r, const std::string& account,
                               const std::string& list_path) {
  std::string base = "/2010-04-01/Accounts/" + account + "/Usage/Records";
  std::string q = "?Category=" + r.category();
  boost::json::object o;
  o["account_sid"] = account;
  o["api_version"] = "2010-04-01";
  absl::Time as_of = rpc::FromProto(r.as_of());
  o["as_of"] = absl::FormatTime("%Y-%m-%dT%H:%M:%S+00:00", as_of, absl::UTCTimeZone());
  o["category"] = r.category();
  o["count"] = r.count();
  o["count_unit"] = r.count_unit();
  o["description"] = r.description();
  o["end_date"] = r.end_date();
  double price = 0;
  // Whole prices print as integers ("0", not boost's "0E0").
  if (!absl::SimpleAtod(r.price(), &price)) {
    o["price"] = nullptr;
  } else if (price == static_cast<double>(static_cast<int64_t>(price))) {
    o["price"] = static_cast<int64_t>(price);
  } else {
    o["price"] = price;
  }
  o["price_unit"] = r.price_unit().empty() ? "usd" : r.price_unit();
  o["start_date"] =
      r.start_date().empty() ? boost::json::value(nullptr) : boost::json::value(r.start_date());
  o["subresource_uris"] = {
      {"all_time", base + "/AllTime.json" + q},     {"today", base + "/Today.json" + q},
      {"yesterday", base + "/Yesterday.json" + q},  {"this_month", base + "/ThisMonth.json" + q},
      {"last_month", base + "/LastMonth.json" + q}, {"daily", base + "/Daily.json" + q},
      {"monthly", base + "/Monthly.json" + q},      {"yearly", base + "/Yearly.json" + q}};
  o["uri"] = list_path + absl::StrCat(q, "&StartDate=", r.start_date(), "&EndDate=", r.end_date());
  o["usage"] = r.usage();
  o["usage_unit"] = r.usage_unit();
  return o;
}

}  // namespace

UsageResources::UsageResources(std::shared_ptr<grpc::ChannelInterface> channel)
    : stub_(pb::UsageMetering::NewStub(channel)) {}

std::optional<web::HttpServer::Response> UsageResources::Handle(const web::HttpServer::Request& req,
                                                                const ApiRoute& route) {
  const auto& r = route.resource;
  if (r.size() < 2 || r.size() > 3 || r[0] != "Usage" || r[1] != "Records") return std::nullopt;
  std::string sub = r.size() == 3 ? r[2] : "";
  auto kind = Kinds().find(sub);
  if (kind == Kinds().end()) return std::nullopt;
  RequestContext c(req, route);
  const std::string& path = c.path();
  if (req.method() != http::verb::get) return c.Error(MethodNotAllowedError());
  if (!c.query_ok()) return c.Error({400, 20001, "Query string is not valid"});

  pb::QueryUsageRequest in;
  in.set_account_sid(route.account_sid);
  in.set_category(c.Query("Category"));
  in.set_granularity(kind->second.granularity);
  in.set_relative(kind->second.relative);
  in.set_start_date(c.Query("StartDate"));
  in.set_end_date(c.Query("EndDate"));
  PageSpec page;
  if (auto e = c.ReadPage(&page)) return c.Error(*e);
  in.set_page_size(page.page_size);
  in.set_page_token(page.page_token);
  pb::QueryUsageResponse out;
  grpc::Status s = stub_->QueryUsage(RequestContext::Deadline().get(), in, &out);
  if (!s.ok()) {
    ApiError e = ApiErrorFromGrpc(s, path);
    if (s.error_code() == grpc::StatusCode::INVALID_ARGUMENT) e.code = 20001;
    return ErrorReply(e, route.format);
  }
  boost::json::array items;
  for (const auto& rec : out.records()) items.push_back(RecordJson(rec, route.account_sid, path));

  std::vector<std::pair<std::string, std::string>> filters;
  for (const char* k : {"Category", "StartDate", "EndDate"}) {
    if (std::string v = c.Query(k); !v.empty()) filters.emplace_back(k, v);
  }
  return ListReply(
      route.format, "usage_records", "UsageRecords", "UsageRecord",
      PageEnvelope(path, "usage_records", std::move(items), filters, page, out.next_page_token()));
}

}  // namespace dialtone::rest_gateway

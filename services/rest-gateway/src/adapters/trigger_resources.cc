// TriggerResources: Twilio's UsageTrigger parameters and JSON.
#include "adapters/trigger_resources.h"

#include <boost/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/api_response.h"
#include "adapters/request_context.h"
#include "adapters/resource_json.h"
#include "dialtone/webhook/form_encoding.h"
#include "domain/account_representation.h"

namespace dialtone::rest_gateway {
namespace {

namespace pb = dialtone::triggers::v1;
namespace http = boost::beast::http;

std::optional<std::string> Find(const Params& p, const std::string& name) {
  for (const auto& [k, v] : p) {
    if (k == name) return v;
  }
  return std::nullopt;
}

std::optional<pb::Recurring> ParseRecurring(const std::string& v) {
  if (v == "daily") return pb::RECURRING_DAILY;
  if (v == "monthly") return pb::RECURRING_MONTHLY;
  if (v == "yearly") return pb::RECURRING_YEARLY;
  if (v == "alltime") return pb::RECURRING_ALLTIME;
  return std::nullopt;
}

std::optional<pb::TriggerBy> ParseTriggerBy(const std::string& v) {
  if (v == "count") return pb::TRIGGER_BY_COUNT;
  if (v == "usage") return pb::TRIGGER_BY_USAGE;
  if (v == "price") return pb::TRIGGER_BY_PRICE;
  return std::nullopt;
}

std::optional<pb::CallbackMethod> ParseMethod(const std::string& v) {
  std::string upper = absl::AsciiStrToUpper(v);
  if (upper == "GET") return pb::CALLBACK_METHOD_GET;
  if (upper == "POST") return pb::CALLBACK_METHOD_POST;
  return std::nullopt;
}

boost::json::object TriggerJson(const pb::UsageTrigger& t) {
  auto o = MessageToJson(t);
  o["callback_method"] = t.callback_method() == pb::CALLBACK_METHOD_GET ? "GET" : "POST";
  o["uri"] = "/2010-04-01/Accounts/" + t.account_sid() + "/Usage/Triggers/" + t.sid() + ".json";
  if (t.api_version().empty()) o["api_version"] = "2010-04-01";
  return o;
}

ApiError Invalid(const std::string& message) { return {400, 20001, message}; }

}  // namespace

TriggerResources::TriggerResources(std::shared_ptr<grpc::ChannelInterface> channel)
    : stub_(pb::Triggers::NewStub(channel)) {}

std::optional<web::HttpServer::Response> TriggerResources::Handle(
    const web::HttpServer::Request& req, const ApiRoute& route) {
  const auto& r = route.resource;
  if (r.size() < 2 || r.size() > 3 || r[0] != "Usage" || r[1] != "Triggers") return std::nullopt;
  RequestContext c(req, route);
  ResponseFormat f = route.format;
  auto fail = [&](const grpc::Status& s) { return c.Fail(s); };
  const std::string& account = route.account_sid;
  std::string list_path = "/2010-04-01/Accounts/" + account + "/Usage/Triggers.json";

  if (r.size() == 2 && req.method() == http::verb::get) {
    if (!c.query_ok()) return ErrorReply(Invalid("Query string is not valid"), f);
    const Params* query = &c.query();
    pb::ListTriggersRequest in;
    in.set_account_sid(account);
    if (auto v = Find(*query, "UsageCategory")) in.set_usage_category(*v);
    if (auto v = Find(*query, "Recurring")) {
      auto rec = ParseRecurring(*v);
      if (!rec)
        return ErrorReply(Invalid("Recurring must be daily, monthly, yearly or alltime"), f);
      in.set_recurring(*rec);
    }
    if (auto v = Find(*query, "TriggerBy")) {
      auto by = ParseTriggerBy(*v);
      if (!by) return ErrorReply(Invalid("TriggerBy must be count, usage or price"), f);
      in.set_trigger_by(*by);
    }
    PageSpec page;
    if (auto e = c.ReadPage(&page)) return c.Error(*e);
    in.set_page_size(page.page_size);
    in.set_page_token(page.page_token);
    pb::ListTriggersResponse out;
    auto s = stub_->ListTriggers(RequestContext::Deadline().get(), in, &out);
    if (!s.ok()) return fail(s);
    boost::json::array items;
    for (const auto& t : out.triggers()) items.push_back(TriggerJson(t));
    return ListReply(f, "usage_triggers", "UsageTriggers", "UsageTrigger",
                     PageEnvelope(list_path, "usage_triggers", std::move(items), {}, page,
                                  out.next_page_token()));
  }

  std::optional<Params> body;
  if (req.method() == http::verb::post) {
    auto parsed = webhook::FormDecode(req.body());
    if (!parsed.ok()) return ErrorReply(Invalid("Request body is not valid form encoding"), f);
    body = *parsed;
  }

  if (r.size() == 2 && req.method() == http::verb::post) {
    pb::CreateTriggerRequest in;
    in.set_account_sid(account);
    for (const char* required : {"CallbackUrl", "TriggerValue", "UsageCategory"}) {
      if (!Find(*body, required)) {
        return ErrorReply({400, 21201, std::string("Missing required parameter ") + required}, f);
      }
    }
    in.set_callback_url(*Find(*body, "CallbackUrl"));
    in.set_trigger_value(*Find(*body, "TriggerValue"));
    in.set_usage_category(*Find(*body, "UsageCategory"));
    in.set_friendly_name(Find(*body, "FriendlyName").value_or(""));
    if (auto v = Find(*body, "CallbackMethod")) {
      auto m = ParseMethod(*v);
      if (!m) return ErrorReply(Invalid("CallbackMethod must be GET or POST"), f);
      in.set_callback_method(*m);
    }
    if (auto v = Find(*body, "Recurring"); v && !v->empty()) {
      auto rec = ParseRecurring(*v);
      if (!rec)
        return ErrorReply(Invalid("Recurring must be daily, monthly, yearly or alltime"), f);
      in.set_recurring(*rec);
    }
    in.set_trigger_by(pb::TRIGGER_BY_USAGE);  // Twilio's default
    if (auto v = Find(*body, "TriggerBy")) {
      auto by = ParseTriggerBy(*v);
      if (!by) return ErrorReply(Invalid("TriggerBy must be count, usage or price"), f);
      in.set_trigger_by(*by);
    }
    pb::UsageTrigger out;
    auto s = stub_->CreateTrigger(RequestContext::Deadline().get(), in, &out);
    if (!s.ok()) return fail(s);
    return ResourceReply(201, f, "UsageTrigger", TriggerJson(out));
  }
  if (r.size() == 2) return ErrorReply(MethodNotAllowedError(), f);

  const std::string& sid = r[2];
  if (req.method() == http::verb::get) {
    pb::GetTriggerRequest in;
    in.set_account_sid(account);
    in.set_sid(sid);
    pb::UsageTrigger out;
    auto s = stub_->GetTrigger(RequestContext::Deadline().get(), in, &out);
    if (!s.ok()) return fail(s);
    return ResourceReply(200, f, "UsageTrigger", TriggerJson(out));
  }
  if (req.method() == http::verb::post) {
    pb::UpdateTriggerRequest in;
    in.set_account_sid(account);
    in.set_sid(sid);
    if (auto v = Find(*body, "FriendlyName")) in.set_friendly_name(*v);
    if (auto v = Find(*body, "CallbackUrl")) in.set_callback_url(*v);
    if (auto v = Find(*body, "CallbackMethod")) {
      auto m = ParseMethod(*v);
      if (!m) return ErrorReply(Invalid("CallbackMethod must be GET or POST"), f);
      in.set_callback_method(*m);
    }
    pb::UsageTrigger out;
    auto s = stub_->UpdateTrigger(RequestContext::Deadline().get(), in, &out);
    if (!s.ok()) return fail(s);
    return ResourceReply(200, f, "UsageTrigger", TriggerJson(out));
  }
  if (req.method() == http::verb::delete_) {
    pb::DeleteTriggerRequest in;
    in.set_account_sid(account);
    in.set_sid(sid);
    pb::DeleteTriggerResponse out;
    auto s = stub_->DeleteTrigger(RequestContext::Deadline().get(), in, &out);
    if (!s.ok()) return fail(s);
    return NoContent();
  }
  return ErrorReply(MethodNotAllowedError(), f);
}

}  // namespace dialtone::rest_gateway

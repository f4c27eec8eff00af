// CallResources: Calls list (filters, times), create, fetch (ended calls' answers kept), update
// (redirect, hang up) and delete, over call-router's gRPC.
#include "adapters/call_resources.h"

#include <boost/json.hpp>
#include <cctype>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/api_response.h"
#include "adapters/request_context.h"
#include "adapters/resource_json.h"
#include "dialtone/rpc/client.h"
#include "dialtone/rpc/status.h"

namespace dialtone::rest_gateway {
namespace {

namespace pb = dialtone::callrouter::v1;
namespace http = boost::beast::http;

// Twilio's display form: "(415) 555-0100" for +1 numbers, the value itself otherwise.
std::string Formatted(const std::string& number) {
  if (number.size() == 12 && number.rfind("+1", 0) == 0) {
    return absl::StrCat("(", number.substr(2, 3), ") ", number.substr(5, 3), "-", number.substr(8));
  }
  return number;
}

boost::json::object CallJson(const pb::Call& call) {
  auto o = MessageToJson(call);
  std::string base = AccountBase(call.account_sid()) + "/Calls/" + call.sid();
  o["group_sid"] = nullptr;
  o["uri"] = base + ".json";
  o["subresource_uris"] = {
      {"recordings", base + "/Recordings.json"},
      {"notifications", base + "/Notifications.json"},
      {"payments", base + "/Payments.json"},
      {"events", base + "/Events.json"},
      {"siprec", base + "/Siprec.json"},
      {"streams", base + "/Streams.json"},
      {"user_defined_message_subscriptions", base + "/UserDefinedMessageSubscriptions.json"},
      {"user_defined_messages", base + "/UserDefinedMessages.json"}};
  // Twilio renders durations as strings ("60").
  if (call.has_duration()) o["duration"] = std::to_string(call.duration());
  if (call.queue_time().empty()) o["queue_time"] = "0";
  if (call.price_unit().empty()) o["price_unit"] = "USD";
  NullIfEmpty(o, {"parent_call_sid", "phone_number_sid", "trunk_sid", "answered_by", "caller_name",
                  "forwarded_from"});
  o["to_formatted"] = Formatted(call.to());
  o["from_formatted"] = Formatted(call.from());
  return o;
}

// "2026-11-25" (a UTC day) or an ISO 8601 / RFC 2822 time.
std::optional<absl::Time> ParseWhen(const std::string& text, bool* whole_day) {
  absl::Time t;
  std::string err;
  *whole_day = false;
  if (absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &t, &err)) {
    *whole_day = true;
    return t;
  }
  for (const char* f :
       {"%Y-%m-%dT%H:%M:%E*S%Ez", "%Y-%m-%dT%H:%M:%E*SZ", "%a, %d %b %Y %H:%M:%S %z"}) {
    if (absl::ParseTime(f, text, absl::UTCTimeZone(), &t, &err)) return t;
  }
  return std::nullopt;
}

// StartTime / EndTime with Twilio's "=" (that day), "<" (up to it) and ">" (from it) forms.
std::optional<ApiError> ReadTimeFilters(const Params& query, pb::ListCallsRequest* in) {
  using Field = google::protobuf::Timestamp* (pb::ListCallsRequest::*)();
  struct Filter {
    const char* name;
    Field after;
    Field before;
  };
  for (const Filter& f : {Filter{"StartTime", &pb::ListCallsRequest::mutable_start_time_after,
                                 &pb::ListCallsRequest::mutable_start_time_before},
                          Filter{"EndTime", &pb::ListCallsRequest::mutable_end_time_after,
                                 &pb::ListCallsRequest::mutable_end_time_before}}) {
    for (const std::string op : {"", "<", ">"}) {
      const std::string param = absl::StrCat(f.name, op);
      const std::string text = ParamOf(query, param);
      if (text.empty()) continue;
      bool whole_day = false;
      auto t = ParseWhen(text, &whole_day);
      if (!t) {
        return ApiError{400, 20001, absl::StrCat(param, " must be a date (YYYY-MM-DD) or a time")};
      }
      if (op != "<") rpc::ToProto(*t, (in->*f.after)());
      if (op.empty()) {
        rpc::ToProto(whole_day ? *t + absl::Hours(24) - absl::Microseconds(1) : *t,
                     (in->*f.before)());
      } else if (op == "<") {
        rpc::ToProto(*t, (in->*f.before)());
      }
    }
  }
  return std::nullopt;
}

// The parameters of Calls create that are not plain strings, GET/POST or booleans.
bool IsSpecialCallParam(const std::string& name) {
  return name == "Timeout" || name == "TimeLimit" || name == "StatusCallbackEvent" ||
         name == "RecordingStatusCallbackEvent" || name == "Status";
}

std::optional<ApiError> ReadSeconds(const Params& form, const std::string& name, int max,
                                    int32_t* out) {
  std::string text = ParamOf(form, name);
  if (text.empty()) return std::nullopt;
  int value = 0;
  if (!absl::SimpleAtoi(text, &value) || value < 1 || value > max) {
    return ApiError{400, 21216,
                    absl::StrCat(name, " must be a whole number of seconds from 1 to ", max)};
  }
  *out = value;
  return std::nullopt;
}

// Twilio's Calls create parameters (To, From, Url | Twiml | ApplicationSid, Method, Fallback*,
// StatusCallback*, StatusCallbackEvent (repeated), Timeout, TimeLimit, Record, SendDigits...).
std::optional<ApiError> CallCreateFromForm(const Params& form, pb::CreateCallRequest* in) {
  Params plain;
  for (const auto& [k, v] : form) {
    if (k == "StatusCallbackEvent")
      in->add_status_callback_event(v);
    else if (k == "RecordingStatusCallbackEvent")
      in->add_recording_status_callback_event(v);
    else if (!IsSpecialCallParam(k))
      plain.emplace_back(k, v);
  }
  std::vector<std::string> set;
  if (auto s = FormToMessage(plain, {}, in, &set); !s.ok()) {
    return ApiError{400, 20001, std::string(s.message())};
  }
  if (in->to().empty()) return ApiError{400, 21201, "A 'To' phone number is required."};
  if (in->from().empty()) return ApiError{400, 21213, "A 'From' phone number is required."};
  int32_t seconds = 0;
  if (auto e = ReadSeconds(form, "Timeout", 600, &seconds)) return e;
  in->set_timeout(seconds);
  seconds = 0;
  if (auto e = ReadSeconds(form, "TimeLimit", 14400, &seconds)) return e;
  in->set_time_limit(seconds);
  return std::nullopt;
}

// Calls update: Url | Twiml (with Method, Fallback*), Status (canceled | completed),
// StatusCallback, StatusCallbackMethod, TimeLimit.
std::optional<ApiError> CallUpdateFromForm(const Params& form, pb::UpdateCallRequest* in) {
  Params plain;
  for (const auto& [k, v] : form) {
    if (!IsSpecialCallParam(k)) plain.emplace_back(k, v);
  }
  std::vector<std::string> set;
  if (auto s = FormToMessage(plain, {}, in, &set); !s.ok()) {
    return ApiError{400, 20001, std::string(s.message())};
  }
  if (std::string status = ParamOf(form, "Status"); !status.empty()) {
    if (status == "canceled")
      in->set_status(pb::CALL_STATUS_CANCELED);
    else if (status == "completed")
      in->set_status(pb::CALL_STATUS_COMPLETED);
    else
      return ApiError{400, 21218, "Status must be canceled or completed"};
  }
  int32_t seconds = 0;
  if (auto e = ReadSeconds(form, "TimeLimit", 14400, &seconds)) return e;
  in->set_time_limit(seconds);
  return std::nullopt;
}

}  // namespace

std::optional<web::HttpServer::Response> EndedCallCache::Get(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  if (it->second.expires < absl::Now()) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.response;
}

void EndedCallCache::Put(const std::string& key, const web::HttpServer::Response& response) {
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[key] = {response, absl::Now() + kTtl};
}

void EndedCallCache::Erase(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(key);
}

void EndedCallCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.clear();
}

void CallResources::ForgetEndedCall(const std::string& account_and_sid) {
  if (account_and_sid.empty()) return ended_calls_.Clear();
  ended_calls_.Erase(account_and_sid + ".json");
  ended_calls_.Erase(account_and_sid);
}

CallResources::CallResources(std::shared_ptr<grpc::ChannelInterface> call_router)
    : stub_(pb::CallRouter::NewStub(call_router)) {}

std::optional<web::HttpServer::Response> CallResources::Handle(const web::HttpServer::Request& req,
                                                               const ApiRoute& route) {
  const auto& r = route.resource;
  if (r.empty() || r[0] != "Calls" || r.size() > 2) return std::nullopt;
  return Serve(req, route);
}

web::HttpServer::Response CallResources::Serve(const web::HttpServer::Request& req,
                                               const ApiRoute& route) {
  RequestContext c(req, route);
  const std::string& account = route.account_sid;
  bool item = route.resource.size() == 2;
  if (!item && req.method() == http::verb::get) {
    pb::ListCallsRequest in;
    in.set_account_sid(account);
    in.set_to(c.Query("To"));
    in.set_from(c.Query("From"));
    in.set_parent_call_sid(c.Query("ParentCallSid"));
    if (std::string status = c.Query("Status"); !status.empty()) {
      std::string name = "CALL_STATUS_" + status;
      for (char& ch : name) ch = ch == '-' ? '_' : static_cast<char>(std::toupper(ch));
      pb::CallStatus value;
      if (!pb::CallStatus_Parse(name, &value)) {
        return c.Error({400, 20001, "Status is not a call status"});
      }
      in.set_status(value);
    }
    if (auto e = ReadTimeFilters(c.query(), &in)) return c.Error(*e);
    if (auto e = c.ReadPage(in.mutable_page())) return c.Error(*e);
    pb::ListCallsResponse out;
    auto s = stub_->ListCalls(RequestContext::Deadline().get(), in, &out);
    if (!s.ok()) return c.Fail(s);
    boost::json::array items;
    for (const auto& call : out.calls()) items.push_back(CallJson(call));
    return ListReply(c.format(), "calls", "Calls", "Call",
                     PageEnvelope(c.Base() + "/Calls.json", "calls", std::move(items), c.query(),
                                  SpecOf(in.page()), out.page().next_page_token()));
  }
  if (!item && req.method() == http::verb::post) {
    auto body = c.Form();
    if (!body) return c.BadForm();
    pb::CreateCallRequest in;
    if (auto e = CallCreateFromForm(*body, &in)) return c.Error(*e);
    in.set_account_sid(account);
    pb::Call out;
    auto s = stub_->CreateCall(RequestContext::Deadline().get(), in, &out);
    if (!s.ok()) return c.Fail(s);
    return ResourceReply(201, c.format(), "Call", CallJson(out));
  }
  if (!item) return c.Error(MethodNotAllowedError());
  const std::string& sid = route.resource[1];
  if (req.method() == http::verb::get) {
    const std::string key =
        absl::StrCat(account, "/", sid, c.format() == ResponseFormat::kJson ? ".json" : "");
    if (auto hit = ended_calls_.Get(key)) {
      web::HttpServer::Response res = *hit;
      res.version(req.version());
      res.keep_alive(req.keep_alive());
      return res;
    }
    pb::GetCallRequest in;
    in.set_account_sid(account);
    in.set_sid(sid);
    pb::Call out;
    auto s = stub_->GetCall(RequestContext::Deadline().get(), in, &out);
    if (!s.ok()) return c.Fail(s);
    web::HttpServer::Response res = ResourceReply(200, c.format(), "Call", CallJson(out));
    // An ended call never changes again (only a DELETE removes it): its answer is kept.
    if (rpc::IsFinalCallStatus(out.status())) ended_calls_.Put(key, res);
    return res;
  }
  if (req.method() == http::verb::delete_) {
    ForgetEndedCall(absl::StrCat(route.account_sid, "/", sid));
    pb::DeleteCallRequest in;
    in.set_account_sid(account);
    in.set_sid(sid);
    pb::DeleteCallResponse out;
    auto s = stub_->DeleteCall(RequestContext::Deadline().get(), in, &out);
    if (!s.ok()) return c.Fail(s);
    return NoContent();
  }
  if (req.method() == http::verb::post) {
    auto body = c.Form();
    if (!body) return c.BadForm();
    pb::UpdateCallRequest in;
    if (auto e = CallUpdateFromForm(*body, &in)) return c.Error(*e);
    in.set_account_sid(account);
    in.set_sid(sid);
    pb::Call out;
    auto s = stub_->UpdateCall(RequestContext::Deadline().get(), in, &out);
    if (!s.ok()) return c.Fail(s);
    return ResourceReply(200, c.format(), "Call", CallJson(out));
  }
  return c.Error(MethodNotAllowedError());
}

}  // namespace dialtone::rest_gateway

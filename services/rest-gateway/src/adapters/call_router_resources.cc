// CallRouterResources: paths -> RPCs, form parameters -> messages, messages -> Twilio JSON.
#include "adapters/call_router_resources.h"

#include "absl/strings/match.h"
#include "adapters/recording_audio.h"
#include "dialtone/audio/audio.h"

#include <boost/json.hpp>
#include <chrono>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/api_response.h"
#include "adapters/resource_json.h"
#include "dialtone/rpc/client.h"
#include "dialtone/rpc/status.h"
#include "dialtone/webhook/form_encoding.h"
#include "domain/account_representation.h"

namespace dialtone::rest_gateway {
namespace {

namespace pb = dialtone::callrouter::v1;
namespace http = boost::beast::http;
using Params = std::vector<std::pair<std::string, std::string>>;

struct Ctx {
  const web::HttpServer::Request& req;
  const ApiRoute& route;
  std::string path;  // without query
  Params query;
  ResponseFormat format() const { return route.format; }
};

std::unique_ptr<grpc::ClientContext> Deadline() {
  return rpc::ContextWithDeadline(absl::Seconds(10));
}

std::string Get(const Params& p, const std::string& name) {
  for (const auto& [k, v] : p) {
    if (k == name) return v;
  }
  return "";
}

std::string Base(const std::string& account) { return "/2010-04-01/Accounts/" + account; }

// PageSize / Page / PageToken of a list request.
std::optional<ApiError> ReadPage(const Params& q, dialtone::common::v1::PageRequest* page) {
  std::string size = Get(q, "PageSize");
  std::string number = Get(q, "Page");
  int n = 0;
  if (!size.empty() && (!absl::SimpleAtoi(size, &n) || n < 1 || n > 1000)) {
    return ApiError{400, 20001, "PageSize must be an integer between 1 and 1000"};
  }
  page->set_page_size(n == 0 ? 50 : n);
  int p = 0;
  if (!number.empty() && (!absl::SimpleAtoi(number, &p) || p < 0)) {
    return ApiError{400, 20001, "Page must be a non-negative integer"};
  }
  page->set_page(p);
  page->set_page_token(Get(q, "PageToken"));
  return std::nullopt;
}

PageSpec Spec(const dialtone::common::v1::PageRequest& p) {
  return {p.page(), p.page_size(), p.page_token()};
}

// Empty reference fields are null in Twilio's JSON, never "".
void NullIfEmpty(boost::json::object& o, std::initializer_list<const char*> fields) {
  for (const char* f : fields) {
    auto it = o.find(f);
    if (it != o.end() && it->value().is_string() && it->value().as_string().empty()) {
      it->value() = nullptr;
    }
  }
}

// Twilio's display form: "(415) 555-0100" for +1 numbers, the value itself otherwise.
std::string Formatted(const std::string& number) {
  if (number.size() == 12 && number.rfind("+1", 0) == 0) {
    return absl::StrCat("(", number.substr(2, 3), ") ", number.substr(5, 3), "-", number.substr(8));
  }
  return number;
}

boost::json::object ApplicationJson(const pb::Application& a) {
  auto o = MessageToJson(a);
  o["uri"] = Base(a.account_sid()) + "/Applications/" + a.sid() + ".json";
  return o;
}

boost::json::object NumberJson(const pb::IncomingPhoneNumber& n) {
  auto o = MessageToJson(
      n, {"capabilities_voice", "capabilities_sms", "capabilities_mms", "capabilities_fax"});
  o["capabilities"] = {{"voice", n.capabilities_voice()},
                       {"sms", n.capabilities_sms()},
                       {"mms", n.capabilities_mms()},
                       {"fax", n.capabilities_fax()}};
  o["address_requirements"] = "none";
  o["address_sid"] = nullptr;
  o["beta"] = false;
  o["bundle_sid"] = nullptr;
  o["emergency_address_sid"] = nullptr;
  o["emergency_address_status"] = "unregistered";
  o["emergency_status"] = "Inactive";
  o["identity_sid"] = nullptr;
  o["sms_fallback_method"] = "POST";
  o["sms_fallback_url"] = "";
  o["type"] = "local";
  o["uri"] = Base(n.account_sid()) + "/IncomingPhoneNumbers/" + n.sid() + ".json";
  NullIfEmpty(o, {"voice_application_sid", "sms_application_sid", "trunk_sid"});
  return o;
}

boost::json::object CallJson(const pb::Call& call) {
  auto o = MessageToJson(call);
  std::string base = Base(call.account_sid()) + "/Calls/" + call.sid();
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

std::string HostOf(const web::HttpServer::Request& req) {
  auto it = req.find(http::field::host);
  return it == req.end() ? std::string("127.0.0.1") : std::string(it->value());
}

// `host` is the request's Host: media_url is this API's address of the audio, as Twilio's is.
boost::json::object RecordingJson(const pb::Recording& r, const std::string& host) {
  auto o = MessageToJson(r, {"media_sid", "track"});
  std::string base = Base(r.account_sid()) + "/Recordings/" + r.sid();
  o["encryption_details"] = nullptr;
  o["api_version"] = "2010-04-01";
  if (r.conference_sid().empty()) o["conference_sid"] = nullptr;
  o["media_url"] = r.media_sid().empty() ? boost::json::value(nullptr)
                                         : boost::json::value("http://" + host + base);
  o["uri"] = base + ".json";
  o["subresource_uris"] = {{"add_on_results", base + "/AddOnResults.json"},
                           {"transcriptions", base + "/Transcriptions.json"}};
  if (r.price_unit().empty()) o["price_unit"] = "USD";
  if (r.has_duration()) o["duration"] = std::to_string(r.duration());
  return o;
}

std::optional<Params> Body(const web::HttpServer::Request& req) {
  auto p = webhook::FormDecode(req.body());
  if (!p.ok()) return std::nullopt;
  return *p;
}

Ctx MakeCtx(const web::HttpServer::Request& req, const ApiRoute& route) {
  std::string target(req.target());
  auto q = target.find('?');
  auto query = webhook::FormDecode(q == std::string::npos ? std::string() : target.substr(q + 1));
  return Ctx{req, route, target.substr(0, q), query.ok() ? *query : Params{}};
}

web::HttpServer::Response Fail(const Ctx& c, const grpc::Status& s) {
  return ErrorReply(ApiErrorFromGrpc(s, c.path), c.format());
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
      const std::string text = Get(query, param);
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
  std::string text = Get(form, name);
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
  if (std::string status = Get(form, "Status"); !status.empty()) {
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

web::HttpServer::Response BadForm(const Ctx& c) {
  return ErrorReply({400, 20001, "Request body is not valid form encoding"}, c.format());
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

CallRouterResources::CallRouterResources(std::shared_ptr<grpc::ChannelInterface> channel,
                                         std::shared_ptr<grpc::ChannelInterface> media)
    : stub_(pb::CallRouter::NewStub(channel)), media_(media::v1::MediaLayer::NewStub(media)) {}

std::optional<web::HttpServer::Response> CallRouterResources::Handle(
    const web::HttpServer::Request& req, const ApiRoute& route) {
  const auto& r = route.resource;
  if (r.empty()) return std::nullopt;
  if (r[0] == "Applications" && r.size() <= 2) return Applications(req, route);
  if (r[0] == "IncomingPhoneNumbers" && r.size() <= 2) return Numbers(req, route);
  if (r[0] == "Calls" && r.size() <= 2) return Calls(req, route);
  if (r[0] == "Calls" && r.size() == 3 && r[2] == "Recordings") return Recordings(req, route, r[1]);
  if (r[0] == "Recordings" && r.size() <= 2) return Recordings(req, route, "");
  return std::nullopt;
}

web::HttpServer::Response CallRouterResources::Applications(const web::HttpServer::Request& req,
                                                            const ApiRoute& route) {
  Ctx c = MakeCtx(req, route);
  const std::string& account = route.account_sid;
  bool item = route.resource.size() == 2;
  if (!item && req.method() == http::verb::get) {
    pb::ListApplicationsRequest in;
    in.set_account_sid(account);
    in.set_friendly_name(Get(c.query, "FriendlyName"));
    if (auto e = ReadPage(c.query, in.mutable_page())) return ErrorReply(*e, c.format());
    pb::ListApplicationsResponse out;
    auto s = stub_->ListApplications(Deadline().get(), in, &out);
    if (!s.ok()) return Fail(c, s);
    boost::json::array items;
    for (const auto& a : out.applications()) items.push_back(ApplicationJson(a));
    return ListReply(
        c.format(), "applications", "Applications", "Application",
        PageEnvelope(Base(account) + "/Applications.json", "applications", std::move(items),
                     c.query, Spec(in.page()), out.page().next_page_token()));
  }
  if (!item && req.method() == http::verb::post) {
    auto body = Body(req);
    if (!body) return BadForm(c);
    pb::CreateApplicationRequest in;
    in.set_account_sid(account);
    std::vector<std::string> set;
    if (auto s = FormToMessage(*body, {}, in.mutable_application(), &set); !s.ok()) {
      return ErrorReply({400, 20001, std::string(s.message())}, c.format());
    }
    pb::Application out;
    auto s = stub_->CreateApplication(Deadline().get(), in, &out);
    if (!s.ok()) return Fail(c, s);
    return ResourceReply(201, c.format(), "Application", ApplicationJson(out));
  }
  if (!item) return ErrorReply(MethodNotAllowedError(), c.format());
  const std::string& sid = route.resource[1];
  if (req.method() == http::verb::get) {
    pb::GetApplicationRequest in;
    in.set_account_sid(account);
    in.set_sid(sid);
    pb::Application out;
    auto s = stub_->GetApplication(Deadline().get(), in, &out);
    if (!s.ok()) return Fail(c, s);
    return ResourceReply(200, c.format(), "Application", ApplicationJson(out));
  }
  if (req.method() == http::verb::post) {
    auto body = Body(req);
    if (!body) return BadForm(c);
    pb::UpdateApplicationRequest in;
    in.set_account_sid(account);
    in.set_sid(sid);
    std::vector<std::string> set;
    if (auto s = FormToMessage(*body, {}, in.mutable_application(), &set); !s.ok()) {
      return ErrorReply({400, 20001, std::string(s.message())}, c.format());
    }
    for (const auto& f : set) in.add_update_fields(f);
    pb::Application out;
    auto s = stub_->UpdateApplication(Deadline().get(), in, &out);
    if (!s.ok()) return Fail(c, s);
    return ResourceReply(200, c.format(), "Application", ApplicationJson(out));
  }
  if (req.method() == http::verb::delete_) {
    pb::DeleteApplicationRequest in;
    in.set_account_sid(account);
    in.set_sid(sid);
    pb::DeleteApplicationResponse out;
    auto s = stub_->DeleteApplication(Deadline().get(), in, &out);
    if (!s.ok()) return Fail(c, s);
    return NoContent();
  }
  return ErrorReply(MethodNotAllowedError(), c.format());
}

web::HttpServer::Response CallRouterResources::Numbers(const web::HttpServer::Request& req,
                                                       const ApiRoute& route) {
  Ctx c = MakeCtx(req, route);
  const std::string& account = route.account_sid;
  bool item = route.resource.size() == 2;
  if (!item && req.method() == http::verb::get) {
    pb::ListIncomingPhoneNumbersRequest in;
    in.set_account_sid(account);
    in.set_friendly_name(Get(c.query, "FriendlyName"));
    in.set_phone_number(Get(c.query, "PhoneNumber"));
    if (auto e = ReadPage(c.query, in.mutable_page())) return ErrorReply(*e, c.format());
    pb::ListIncomingPhoneNumbersResponse out;
    auto s = stub_->ListIncomingPhoneNumbers(Deadline().get(), in, &out);
    if (!s.ok()) return Fail(c, s);
    boost::json::array items;
    for (const auto& n : out.numbers()) items.push_back(NumberJson(n));
    return ListReply(
        c.format(), "incoming_phone_numbers", "IncomingPhoneNumbers", "IncomingPhoneNumber",
        PageEnvelope(Base(account) + "/IncomingPhoneNumbers.json", "incoming_phone_numbers",
                     std::move(items), c.query, Spec(in.page()), out.page().next_page_token()));
  }
  if (!item && req.method() == http::verb::post) {
    auto body = Body(req);
    if (!body) return BadForm(c);
    pb::CreateIncomingPhoneNumberRequest in;
    in.set_account_sid(account);
    std::vector<std::string> set;
    if (auto s = FormToMessage(*body, {}, in.mutable_number(), &set); !s.ok()) {
      return ErrorReply({400, 20001, std::string(s.message())}, c.format());
    }
    if (in.number().phone_number().empty()) {
      return ErrorReply({400, 21452, "Required parameter PhoneNumber is missing"}, c.format());
    }
    pb::IncomingPhoneNumber out;
    auto s = stub_->CreateIncomingPhoneNumber(Deadline().get(), in, &out);
    if (!s.ok()) return Fail(c, s);
    return ResourceReply(201, c.format(), "IncomingPhoneNumber", NumberJson(out));
  }
  if (!item) return ErrorReply(MethodNotAllowedError(), c.format());
  const std::string& sid = route.resource[1];
  if (req.method() == http::verb::get) {
    pb::GetIncomingPhoneNumberRequest in;
    in.set_account_sid(account);
    in.set_sid(sid);
    pb::IncomingPhoneNumber out;
    auto s = stub_->GetIncomingPhoneNumber(Deadline().get(), in, &out);
    if (!s.ok()) return Fail(c, s);
    return ResourceReply(200, c.format(), "IncomingPhoneNumber", NumberJson(out));
  }
  if (req.method() == http::verb::post) {
    auto body = Body(req);
    if (!body) return BadForm(c);
    pb::UpdateIncomingPhoneNumberRequest in;
    in.set_account_sid(account);
    in.set_sid(sid);
    std::vector<std::string> set;
    if (auto s = FormToMessage(*body, {"phone_number"}, in.mutable_number(), &set); !s.ok()) {
      return ErrorReply({400, 20001, std::string(s.message())}, c.format());
    }
    for (const auto& f : set) in.add_update_fields(f);
    pb::IncomingPhoneNumber out;
    auto s = stub_->UpdateIncomingPhoneNumber(Deadline().get(), in, &out);
    if (!s.ok()) return Fail(c, s);
    return ResourceReply(200, c.format(), "IncomingPhoneNumber", NumberJson(out));
  }
  if (req.method() == http::verb::delete_) {
    pb::DeleteIncomingPhoneNumberRequest in;
    in.set_account_sid(account);
    in.set_sid(sid);
    pb::DeleteIncomingPhoneNumberResponse out;
    auto s = stub_->DeleteIncomingPhoneNumber(Deadline().get(), in, &out);
    if (!s.ok()) return Fail(c, s);
    return NoContent();
  }
  return ErrorReply(MethodNotAllowedError(), c.format());
}

web::HttpServer::Response CallRouterResources::Calls(const web::HttpServer::Request& req,
                                                     const ApiRoute& route) {
  Ctx c = MakeCtx(req, route);
  const std::string& account = route.account_sid;
  bool item = route.resource.size() == 2;
  if (!item && req.method() == http::verb::get) {
    pb::ListCallsRequest in;
    in.set_account_sid(account);
    in.set_to(Get(c.query, "To"));
    in.set_from(Get(c.query, "From"));
    in.set_parent_call_sid(Get(c.query, "ParentCallSid"));
    if (std::string status = Get(c.query, "Status"); !status.empty()) {
      std::string name = "CALL_STATUS_" + status;
      for (char& ch : name) ch = ch == '-' ? '_' : static_cast<char>(std::toupper(ch));
      pb::CallStatus value;
      if (!pb::CallStatus_Parse(name, &value)) {
        return ErrorReply({400, 20001, "Status is not a call status"}, c.format());
      }
      in.set_status(value);
    }
    if (auto e = ReadTimeFilters(c.query, &in)) return ErrorReply(*e, c.format());
    if (auto e = ReadPage(c.query, in.mutable_page())) return ErrorReply(*e, c.format());
    pb::ListCallsResponse out;
    auto s = stub_->ListCalls(Deadline().get(), in, &out);
    if (!s.ok()) return Fail(c, s);
    boost::json::array items;
    for (const auto& call : out.calls()) items.push_back(CallJson(call));
    return ListReply(c.format(), "calls", "Calls", "Call",
                     PageEnvelope(Base(account) + "/Calls.json", "calls", std::move(items), c.query,
                                  Spec(in.page()), out.page().next_page_token()));
  }
  if (!item && req.method() == http::verb::post) {
    auto body = Body(req);
    if (!body) return BadForm(c);
    pb::CreateCallRequest in;
    if (auto e = CallCreateFromForm(*body, &in)) return ErrorReply(*e, c.format());
    in.set_account_sid(account);
    pb::Call out;
    auto s = stub_->CreateCall(Deadline().get(), in, &out);
    if (!s.ok()) return Fail(c, s);
    return ResourceReply(201, c.format(), "Call", CallJson(out));
  }
  if (!item) return ErrorReply(MethodNotAllowedError(), c.format());
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
    auto s = stub_->GetCall(Deadline().get(), in, &out);
    if (!s.ok()) return Fail(c, s);
    web::HttpServer::Response res = ResourceReply(200, c.format(), "Call", CallJson(out));
    // An ended call never changes again (only a DELETE removes it): its answer is kept.
    if (rpc::IsFinalCallStatus(out.status())) ended_calls_.Put(key, res);
    return res;
  }
  if (req.method() == http::verb::delete_) {
    ended_calls_.Erase(absl::StrCat(route.account_sid, "/", sid, ".json"));
    ended_calls_.Erase(absl::StrCat(route.account_sid, "/", sid));
    pb::DeleteCallRequest in;
    in.set_account_sid(account);
    in.set_sid(sid);
    pb::DeleteCallResponse out;
    auto s = stub_->DeleteCall(Deadline().get(), in, &out);
    if (!s.ok()) return Fail(c, s);
    return NoContent();
  }
  if (req.method() == http::verb::post) {
    auto body = Body(req);
    if (!body) return BadForm(c);
    pb::UpdateCallRequest in;
    if (auto e = CallUpdateFromForm(*body, &in)) return ErrorReply(*e, c.format());
    in.set_account_sid(account);
    in.set_sid(sid);
    pb::Call out;
    auto s = stub_->UpdateCall(Deadline().get(), in, &out);
    if (!s.ok()) return Fail(c, s);
    return ResourceReply(200, c.format(), "Call", CallJson(out));
  }
  return ErrorReply(MethodNotAllowedError(), c.format());
}

web::HttpServer::Response CallRouterResources::Recordings(const web::HttpServer::Request& req,
                                                          const ApiRoute& route,
                                                          const std::string& call_sid) {
  Ctx c = MakeCtx(req, route);
  const std::string& account = route.account_sid;
  bool item = call_sid.empty() && route.resource.size() == 2;
  if (!item && req.method() == http::verb::get) {
    pb::ListRecordingsRequest in;
    in.set_account_sid(account);
    in.set_call_sid(call_sid.empty() ? Get(c.query, "CallSid") : call_sid);
    if (auto e = ReadPage(c.query, in.mutable_page())) return ErrorReply(*e, c.format());
    pb::ListRecordingsResponse out;
    auto s = stub_->ListRecordings(Deadline().get(), in, &out);
    if (!s.ok()) return Fail(c, s);
    boost::json::array items;
    for (const auto& r : out.recordings()) items.push_back(RecordingJson(r, HostOf(req)));
    std::string list_path = call_sid.empty()
                                ? Base(account) + "/Recordings.json"
                                : Base(account) + "/Calls/" + call_sid + "/Recordings.json";
    return ListReply(c.format(), "recordings", "Recordings", "Recording",
                     PageEnvelope(list_path, "recordings", std::move(items), c.query,
                                  Spec(in.page()), out.page().next_page_token()));
  }
  if (!item) return ErrorReply(MethodNotAllowedError(), c.format());
  const std::string& sid = route.resource[1];
  for (const char* ext : {".wav", ".mp3"}) {
    if (absl::EndsWith(sid, ext) && req.method() == http::verb::get) {
      return RecordingAudio(req, route, sid.substr(0, sid.size() - 4), std::string(ext) == ".mp3");
    }
  }
  if (req.method() == http::verb::get) {
    pb::GetRecordingRequest in;
    in.set_account_sid(account);
    in.set_sid(sid);
    pb::Recording out;
    auto s = stub_->GetRecording(Deadline().get(), in, &out);
    if (!s.ok()) return Fail(c, s);
    return ResourceReply(200, c.format(), "Recording", RecordingJson(out, HostOf(req)));
  }
  if (req.method() == http::verb::delete_) {
    pb::DeleteRecordingRequest in;
    in.set_account_sid(account);
    in.set_sid(sid);
    pb::DeleteRecordingResponse out;
    auto s = stub_->DeleteRecording(Deadline().get(), in, &out);
    if (!s.ok()) return Fail(c, s);
    return NoContent();
  }
  return ErrorReply(MethodNotAllowedError(), c.format());
}

web::HttpServer::Response CallRouterResources::RecordingAudio(const web::HttpServer::Request& req,
                                                              const ApiRoute& route,
                                                              const std::string& sid, bool mp3) {
  Ctx c = MakeCtx(req, route);
  pb::GetRecordingRequest in;
  in.set_account_sid(route.account_sid);
  in.set_sid(sid);
  pb::Recording recording;
  auto s = stub_->GetRecording(Deadline().get(), in, &recording);
  if (!s.ok()) return Fail(c, s);
  if (recording.media_sid().empty()) {
    return ErrorReply({404, 20404, "The recording has no audio (yet)"}, c.format());
  }
  media::v1::ReadMediaRequest read;
  read.set_account_sid(route.account_sid);
  read.set_media_sid(recording.media_sid());
  auto ctx = Deadline();
  auto reader = media_->ReadMedia(ctx.get(), read);
  media::v1::MediaChunk chunk;
  std::string bytes;
  bool alaw = false;
  bool first = true;
  while (reader->Read(&chunk)) {
    if (first) alaw = chunk.codec() == media::v1::CODEC_PCMA;
    first = false;
    bytes += chunk.data();
  }
  if (auto st = reader->Finish(); !st.ok()) return Fail(c, st);
  const std::vector<int16_t> samples =
      audio::DecodeG711(bytes, alaw ? audio::G711::kAlaw : audio::G711::kUlaw);
  web::HttpServer::Response res{http::status::ok, req.version()};
  if (mp3) {
    auto encoded = Mp3(samples);
    if (!encoded.ok())
      return ErrorReply({500, 20500, std::string(encoded.status().message())}, c.format());
    res.set(http::field::content_type, "audio/mpeg");
    res.body() = *std::move(encoded);
  } else {
    res.set(http::field::content_type, "audio/x-wav");
    res.body() = audio::PcmWav(samples);
  }
  res.prepare_payload();
  return res;
}

}  // namespace dialtone::rest_gateway

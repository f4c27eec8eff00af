// StreamResources: a call's Streams create and update (stop), over call-router's gRPC.
#include "adapters/stream_resources.h"

#include <boost/json.hpp>
#include <cctype>
#include <map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "adapters/api_response.h"
#include "adapters/request_context.h"
#include "adapters/resource_json.h"
#include "dialtone/twiml/url.h"
#include "dialtone/webhook/form_encoding.h"

namespace dialtone::rest_gateway {
namespace {

namespace pb = dialtone::callrouter::v1;
namespace http = boost::beast::http;

// Parameter1 ... Parameter99, as Twilio's API takes them; higher numbers are unknown
// parameters, ignored as Twilio ignores them.
constexpr int kMaxParameters = 99;
// Twilio's code for a bad Url (call-router answers the same, kErrorInvalidUrl).
constexpr int kInvalidUrl = 21205;
// A missing or invalid parameter, and a value outside its enum (Track, Status), as for the
// other resources' enums.
constexpr int kInvalidParameter = 20001;

// Twilio's Stream resource: sid, account_sid, call_sid, name (null when none), status,
// date_updated (RFC 2822) and uri.
boost::json::object StreamJson(const pb::Stream& stream) {
  auto o = MessageToJson(stream);
  NullIfEmpty(o, {"name"});
  o["uri"] = absl::StrCat(AccountBase(stream.account_sid()), "/Calls/", stream.call_sid(),
                          "/Streams/", stream.sid(), ".json");
  return o;
}

// "Parameter12.Name" -> {12, true}, "Parameter3.Value" -> {3, false}; nullopt for any other name.
std::optional<std::pair<int, bool>> ParameterSlot(const std::string& param) {
  constexpr std::string_view kPrefix = "Parameter";
  if (param.rfind(kPrefix, 0) != 0) return std::nullopt;
  const size_t dot = param.find('.', kPrefix.size());
  if (dot == std::string::npos) return std::nullopt;
  const std::string number = param.substr(kPrefix.size(), dot - kPrefix.size());
  const std::string part = param.substr(dot + 1);
  int n = 0;
  if (number.empty() || number[0] == '0' || !absl::SimpleAtoi(number, &n) || n < 1 ||
      n > kMaxParameters || (part != "Name" && part != "Value")) {
    return std::nullopt;
  }
  return std::make_pair(n, part == "Name");
}

// Url (required), Name, Track, StatusCallback, StatusCallbackMethod, and ParameterN.Name /
// ParameterN.Value in N's order (the start message's customParameters).
std::optional<ApiError> StreamCreateFromForm(const Params& form, pb::CreateStreamRequest* in) {
  Params plain;
  struct Slot {
    std::optional<std::string> name;
    std::optional<std::string> value;
  };
  std::map<int, Slot> slots;
  for (const auto& [k, v] : form) {
    if (auto slot = ParameterSlot(k)) {
      (slot->second ? slots[slot->first].name : slots[slot->first].value) = v;
    } else {
      plain.emplace_back(k, v);
    }
  }
  std::vector<std::string> set;
  if (auto s = FormToMessage(plain, {}, in, &set); !s.ok()) {
    return ApiError{400, kInvalidParameter, std::string(s.message())};
  }
  if (in->url().empty()) {
    return ApiError{400, kInvalidParameter, "Missing required parameter Url in the post body"};
  }
  if (!twiml::IsWebSocketUrl(in->url())) {
    return ApiError{400, kInvalidUrl, "Url must be an absolute ws:// or wss:// URL"};
  }
  if (!in->track().empty() && in->track() != "inbound_track" && in->track() != "outbound_track" &&
      in->track() != "both_tracks") {
    return ApiError{400, kInvalidParameter,
                    "Track must be inbound_track, outbound_track or both_tracks"};
  }
  for (const auto& [n, slot] : slots) {
    if (!slot.name || slot.name->empty()) {
      return ApiError{
          400, kInvalidParameter,
          absl::StrCat("Parameter", n, ".Name is required with Parameter", n, ".Value")};
    }
    auto* p = in->add_parameters();
    p->set_name(*slot.name);
    p->set_value(slot.value.value_or(""));
  }
  return std::nullopt;
}

// A path segment with its %XX escapes decoded ('+' stays '+', as in a path); nullopt when an
// escape is broken or the bytes are not UTF-8.
std::optional<std::string> PathSegment(const std::string& segment) {
  auto decoded =
      webhook::FormDecode("s=" + absl::StrReplaceAll(segment, {{"+", "%2B"}, {"&", "%26"}}));
  if (!decoded.ok() || decoded->size() != 1) return std::nullopt;
  return (*decoded)[0].second;
}

}  // namespace

StreamResources::StreamResources(std::shared_ptr<grpc::ChannelInterface> call_router)
    : stub_(pb::CallRouter::NewStub(call_router)) {}

std::optional<web::HttpServer::Response> StreamResources::Handle(
    const web::HttpServer::Request& req, const ApiRoute& route) {
  const auto& r = route.resource;
  if (r.size() < 3 || r.size() > 4 || r[0] != "Calls" || r[2] != "Streams") return std::nullopt;
  // Twilio has neither a list nor a fetch of streams: POST is all there is.
  if (req.method() != http::verb::post) {
    return RequestContext(req, route).Error(MethodNotAllowedError());
  }
  return r.size() == 3 ? Create(req, route) : Update(req, route);
}

web::HttpServer::Response StreamResources::Create(const web::HttpServer::Request& req,
                                                  const ApiRoute& route) {
  RequestContext c(req, route);
  auto body = c.Form();
  if (!body) return c.BadForm();
  pb::CreateStreamRequest in;
  if (auto e = StreamCreateFromForm(*body, &in)) return c.Error(*e);
  in.set_account_sid(route.account_sid);
  in.set_call_sid(route.resource[1]);
  pb::Stream out;
  auto s = stub_->CreateStream(RequestContext::Deadline().get(), in, &out);
  if (!s.ok()) return c.Fail(s);
  // 200, not 201: Twilio's OpenAPI description answers this create with 200 OK.
  return ResourceReply(200, c.format(), "Stream", StreamJson(out));
}

web::HttpServer::Response StreamResources::Update(const web::HttpServer::Request& req,
                                                  const ApiRoute& route) {
  RequestContext c(req, route);
  auto body = c.Form();
  if (!body) return c.BadForm();
  auto sid = PathSegment(route.resource[3]);
  if (!sid) return c.Error(NotFoundError(c.path()));
  const std::string status = ParamOf(*body, "Status");
  if (status.empty()) {
    return c.Error({400, kInvalidParameter, "Missing required parameter Status in the post body"});
  }
  if (status != "stopped") return c.Error({400, kInvalidParameter, "Status must be stopped"});
  pb::UpdateStreamRequest in;
  in.set_account_sid(route.account_sid);
  in.set_call_sid(route.resource[1]);
  in.set_sid(*sid);
  in.set_status(pb::STREAM_STATUS_STOPPED);
  pb::Stream out;
  auto s = stub_->UpdateStream(RequestContext::Deadline().get(), in, &out);
  if (!s.ok()) return c.Fail(s);
  return ResourceReply(200, c.format(), "Stream", StreamJson(out));
}

}  // namespace dialtone::rest_gateway

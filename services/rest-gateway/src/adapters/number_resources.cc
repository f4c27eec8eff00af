// NumberResources: one CRUD handler, told by a traits struct per resource which messages, RPCs,
// filters and JSON it uses.
#include "adapters/number_resources.h"

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "adapters/api_response.h"
#include "adapters/request_context.h"
#include "adapters/resource_json.h"

namespace dialtone::rest_gateway {
namespace {

namespace pb = dialtone::callrouter::v1;
namespace http = boost::beast::http;
using Stub = pb::CallRouter::Stub;

struct Applications {
  using Message = pb::Application;
  using ListRequest = pb::ListApplicationsRequest;
  using ListResponse = pb::ListApplicationsResponse;
  using CreateRequest = pb::CreateApplicationRequest;
  using GetRequest = pb::GetApplicationRequest;
  using UpdateRequest = pb::UpdateApplicationRequest;
  using DeleteRequest = pb::DeleteApplicationRequest;
  using DeleteResponse = pb::DeleteApplicationResponse;
  static constexpr const char* kPath = "Applications";
  static constexpr const char* kKey = "applications";
  static constexpr const char* kItem = "Application";

  static void Filter(const RequestContext& c, ListRequest* in) {
    in->set_friendly_name(c.Query("FriendlyName"));
  }
  static const auto& Items(const ListResponse& out) { return out.applications(); }
  static Message* Fields(CreateRequest* in) { return in->mutable_application(); }
  static Message* Fields(UpdateRequest* in) { return in->mutable_application(); }
  static std::vector<std::string> Fixed() { return {}; }
  static std::optional<ApiError> CheckCreate(const CreateRequest&) { return std::nullopt; }
  static boost::json::object Json(const Message& a) {
    auto o = MessageToJson(a);
    o["uri"] = AccountBase(a.account_sid()) + "/Applications/" + a.sid() + ".json";
    return o;
  }
  static grpc::Status List(Stub& s, grpc::ClientContext* x, const ListRequest& in,
                           ListResponse* out) {
    return s.ListApplications(x, in, out);
  }
  static grpc::Status Create(Stub& s, grpc::ClientContext* x, const CreateRequest& in,
                             Message* out) {
    return s.CreateApplication(x, in, out);
  }
  static grpc::Status Get(Stub& s, grpc::ClientContext* x, const GetRequest& in, Message* out) {
    return s.GetApplication(x, in, out);
  }
  static grpc::Status Update(Stub& s, grpc::ClientContext* x, const UpdateRequest& in,
                             Message* out) {
    return s.UpdateApplication(x, in, out);
  }
  static grpc::Status Delete(Stub& s, grpc::ClientContext* x, const DeleteRequest& in,
                             DeleteResponse* out) {
    return s.DeleteApplication(x, in, out);
  }
};

struct IncomingPhoneNumbers {
  using Message = pb::IncomingPhoneNumber;
  using ListRequest = pb::ListIncomingPhoneNumbersRequest;
  using ListResponse = pb::ListIncomingPhoneNumbersResponse;
  using CreateRequest = pb::CreateIncomingPhoneNumberRequest;
  using GetRequest = pb::GetIncomingPhoneNumberRequest;
  using UpdateRequest = pb::UpdateIncomingPhoneNumberRequest;
  using DeleteRequest = pb::DeleteIncomingPhoneNumberRequest;
  using DeleteResponse = pb::DeleteIncomingPhoneNumberResponse;
  static constexpr const char* kPath = "IncomingPhoneNumbers";
  static constexpr const char* kKey = "incoming_phone_numbers";
  static constexpr const char* kItem = "IncomingPhoneNumber";

  static void Filter(const RequestContext& c, ListRequest* in) {
    in->set_friendly_name(c.Query("FriendlyName"));
    in->set_phone_number(c.Query("PhoneNumber"));
  }
  static const auto& Items(const ListResponse& out) { return out.numbers(); }
  static Message* Fields(CreateRequest* in) { return in->mutable_number(); }
  static Message* Fields(UpdateRequest* in) { return in->mutable_number(); }
  // A number is bought once; its PhoneNumber cannot change.
  static std::vector<std::string> Fixed() { return {"phone_number"}; }
  static std::optional<ApiError> CheckCreate(const CreateRequest& in) {
    if (!in.number().phone_number().empty()) return std::nullopt;
    return ApiError{400, 21452, "Required parameter PhoneNumber is missing"};
  }
  static boost::json::object Json(const Message& n) {
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
    o["uri"] = AccountBase(n.account_sid()) + "/IncomingPhoneNumbers/" + n.sid() + ".json";
    NullIfEmpty(o, {"voice_application_sid", "sms_application_sid", "trunk_sid"});
    return o;
  }
  static grpc::Status List(Stub& s, grpc::ClientContext* x, const ListRequest& in,
                           ListResponse* out) {
    return s.ListIncomingPhoneNumbers(x, in, out);
  }
  static grpc::Status Create(Stub& s, grpc::ClientContext* x, const CreateRequest& in,
                             Message* out) {
    return s.CreateIncomingPhoneNumber(x, in, out);
  }
  static grpc::Status Get(Stub& s, grpc::ClientContext* x, const GetRequest& in, Message* out) {
    return s.GetIncomingPhoneNumber(x, in, out);
  }
  static grpc::Status Update(Stub& s, grpc::ClientContext* x, const UpdateRequest& in,
                             Message* out) {
    return s.UpdateIncomingPhoneNumber(x, in, out);
  }
  static grpc::Status Delete(Stub& s, grpc::ClientContext* x, const DeleteRequest& in,
                             DeleteResponse* out) {
    return s.DeleteIncomingPhoneNumber(x, in, out);
  }
};

// The five operations of resource R at /R.json and /R/{Sid}.json.
template <typename R>
web::HttpServer::Response Serve(const RequestContext& c, Stub& stub) {
  const bool item = c.route().resource.size() == 2;
  const http::verb method = c.request().method();
  if (!item && method == http::verb::get) {
    typename R::ListRequest in;
    in.set_account_sid(c.account());
    R::Filter(c, &in);
    if (auto e = c.ReadPage(in.mutable_page())) return c.Error(*e);
    typename R::ListResponse out;
    if (auto s = R::List(stub, RequestContext::Deadline().get(), in, &out); !s.ok()) {
      return c.Fail(s);
    }
    boost::json::array items;
    for (const auto& m : R::Items(out)) items.push_back(R::Json(m));
    return ListReply(c.format(), R::kKey, R::kPath, R::kItem,
                     PageEnvelope(c.Base() + "/" + R::kPath + ".json", R::kKey, std::move(items),
                                  c.query(), SpecOf(in.page()), out.page().next_page_token()));
  }
  if (!item && method == http::verb::post) {
    auto form = c.Form();
    if (!form) return c.BadForm();
    typename R::CreateRequest in;
    in.set_account_sid(c.account());
    std::vector<std::string> set;
    if (auto s = FormToMessage(*form, {}, R::Fields(&in), &set); !s.ok()) {
      return c.Error({400, 20001, std::string(s.message())});
    }
    if (auto e = R::CheckCreate(in)) return c.Error(*e);
    typename R::Message out;
    if (auto s = R::Create(stub, RequestContext::Deadline().get(), in, &out); !s.ok()) {
      return c.Fail(s);
    }
    return ResourceReply(201, c.format(), R::kItem, R::Json(out));
  }
  if (!item) return c.Error(MethodNotAllowedError());
  const std::string& sid = c.route().resource[1];
  if (method == http::verb::get) {
    typename R::GetRequest in;
    in.set_account_sid(c.account());
    in.set_sid(sid);
    typename R::Message out;
    if (auto s = R::Get(stub, RequestContext::Deadline().get(), in, &out); !s.ok()) {
      return c.Fail(s);
    }
    return ResourceReply(200, c.format(), R::kItem, R::Json(out));
  }
  if (method == http::verb::post) {
    auto form = c.Form();
    if (!form) return c.BadForm();
    typename R::UpdateRequest in;
    in.set_account_sid(c.account());
    in.set_sid(sid);
    std::vector<std::string> set;
    if (auto s = FormToMessage(*form, R::Fixed(), R::Fields(&in), &set); !s.ok()) {
      return c.Error({400, 20001, std::string(s.message())});
    }
    for (const auto& f : set) in.add_update_fields(f);
    typename R::Message out;
    if (auto s = R::Update(stub, RequestContext::Deadline().get(), in, &out); !s.ok()) {
      return c.Fail(s);
    }
    return ResourceReply(200, c.format(), R::kItem, R::Json(out));
  }
  if (method == http::verb::delete_) {
    typename R::DeleteRequest in;
    in.set_account_sid(c.account());
    in.set_sid(sid);
    typename R::DeleteResponse out;
    if (auto s = R::Delete(stub, RequestContext::Deadline().get(), in, &out); !s.ok()) {
      return c.Fail(s);
    }
    return NoContent();
  }
  return c.Error(MethodNotAllowedError());
}

}  // namespace

NumberResources::NumberResources(std::shared_ptr<grpc::ChannelInterface> call_router)
    : stub_(pb::CallRouter::NewStub(call_router)) {}

std::optional<web::HttpServer::Response> NumberResources::Handle(
    const web::HttpServer::Request& req, const ApiRoute& route) {
  const auto& r = route.resource;
  if (r.empty() || r.size() > 2) return std::nullopt;
  if (r[0] == Applications::kPath) return Serve<Applications>(RequestContext(req, route), *stub_);
  if (r[0] == IncomingPhoneNumbers::kPath) {
    return Serve<IncomingPhoneNumbers>(RequestContext(req, route), *stub_);
  }
  return std::nullopt;
}

}  // namespace dialtone::rest_gateway

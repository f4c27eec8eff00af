// CallRouterGrpc: validation, paging and the status mapping of the resource RPCs.
#include "api/call_router_grpc.h"

#include "absl/strings/str_cat.h"
#include "api/api_checks.h"
#include "api/resource_validation.h"
#include "calls/twiml_names.h"
#include "dialtone/core/sid.h"
#include "dialtone/rpc/client.h"
#include "dialtone/rpc/status.h"

namespace dialtone::call_router {
namespace {

namespace pb = dialtone::callrouter::v1;
using dialtone::common::v1::PageRequest;
using dialtone::common::v1::PageResponse;

constexpr int kTwilioInvalidPageToken = 20007;  // Twilio: "Invalid paging parameter"
constexpr int kTwilioNumberTaken = 21422;       // "PhoneNumber is not available"

// Page size and the keyset token; tokens are the SID of the last row of the previous page.
grpc::Status ReadPage(const PageRequest& page, absl::string_view prefix, ProtoTable::ListQuery* q) {
  int size = page.page_size() == 0 ? 50 : page.page_size();
  if (size < 1 || size > 1000) {
    return rpc::TwilioGrpcError(grpc::StatusCode::INVALID_ARGUMENT, kTwilioInvalidPageToken,
                                "PageSize must be between 1 and 1000");
  }
  q->page_size = size;
  if (!page.page_token().empty()) {
    if (!core::IsSid(page.page_token(), prefix)) {
      return rpc::TwilioGrpcError(grpc::StatusCode::INVALID_ARGUMENT, kTwilioInvalidPageToken,
                                  "PageToken is not valid");
    }
    q->after_sid = page.page_token();
  }
  return grpc::Status::OK;
}

void WritePage(const PageRequest& req, const ProtoTable::ListQuery& q, const std::string& next,
               PageResponse* out) {
  out->set_page(req.page());
  out->set_page_size(q.page_size);
  out->set_next_page_token(next);
  out->set_previous_page_token(req.page_token());
}

absl::Status ValidateApplication(const pb::Application& a) {
  absl::Status s = ValidateFriendlyName(a.friendly_name());
  if (s.ok()) s = ValidateCallbackUrl("VoiceUrl", a.voice_url(), true);
  if (s.ok()) s = ValidateCallbackUrl("VoiceFallbackUrl", a.voice_fallback_url(), true);
  if (s.ok()) s = ValidateCallbackUrl("StatusCallback", a.status_callback(), true);
  return s;
}

absl::Status ValidateNumber(const pb::IncomingPhoneNumber& n) {
  absl::Status s = ValidateFriendlyName(n.friendly_name());
  if (s.ok()) s = ValidateCallbackUrl("VoiceUrl", n.voice_url(), true);
  if (s.ok()) s = ValidateCallbackUrl("VoiceFallbackUrl", n.voice_fallback_url(), true);
  if (s.ok()) s = ValidateCallbackUrl("StatusCallback", n.status_callback(), true);
  return s;
}

void FillApplicationDefaults(pb::Application* a) { a->set_api_version("2010-04-01"); }

void FillNumberDefaults(pb::IncomingPhoneNumber* n) {
  n->set_api_version("2010-04-01");
  n->set_status("in-use");
  n->set_voice_receive_mode("voice");
  n->set_capabilities_voice(true);
  if (n->origin().empty()) n->set_origin("twilio");
}

const std::vector<std::string> kApplicationFields = {"friendly_name",
                                                     "voice_url",
                                                     "voice_method",
                                                     "voice_fallback_url",
                                                     "voice_fallback_method",
                                                     "status_callback",
                                                     "status_callback_method",
                                                     "voice_caller_id_lookup",
                                                     "sms_url",
                                                     "sms_method",
                                                     "sms_fallback_url",
                                                     "sms_fallback_method",
                                                     "sms_status_callback",
                                                     "message_status_callback",
                                                     "public_application_connect_enabled"};

const std::vector<std::string> kNumberFields = {"phone_number",
                                                "friendly_name",
                                                "voice_url",
                                                "voice_method",
                                                "voice_fallback_url",
                                                "voice_fallback_method",
                                                "status_callback",
                                                "status_callback_method",
                                                "voice_application_sid",
                                                "voice_caller_id_lookup",
                                                "sms_url",
                                                "sms_method",
                                                "origin"};

// Copies `fields` (scalar fields only) of `from` into `into`.
grpc::Status MergeFields(const google::protobuf::Message& from,
                         const std::vector<std::string>& fields, google::protobuf::Message* into) {
  namespace gp = google::protobuf;
  const gp::Reflection* rf = from.GetReflection();
  const gp::Reflection* ri = into->GetReflection();
  for (const auto& f : fields) {
    const gp::FieldDescriptor* fd = from.GetDescriptor()->FindFieldByName(f);
    if (fd == nullptr) return {grpc::StatusCode::INVALID_ARGUMENT, "unknown field " + f};
    switch (fd->cpp_type()) {
      case gp::FieldDescriptor::CPPTYPE_STRING:
        ri->SetString(into, fd, rf->GetString(from, fd));
        break;
      case gp::FieldDescriptor::CPPTYPE_BOOL: ri->SetBool(into, fd, rf->GetBool(from, fd)); break;
      case gp::FieldDescriptor::CPPTYPE_ENUM:
        ri->SetEnumValue(into, fd, rf->GetEnumValue(from, fd));
        break;
      default: return {grpc::StatusCode::INVALID_ARGUMENT, "field " + f + " cannot be updated"};
    }
  }
  return grpc::Status::OK;
}

// Tells the live side that routing data changed once the handler is done (whatever it
// answered: a failed update may still have changed a row before failing).
class RoutesChangedOnReturn {
 public:
  explicit RoutesChangedOnReturn(LiveCallControl* live) : live_(live) {}
  ~RoutesChangedOnReturn() {
    if (live_ != nullptr) live_->RoutesChanged();
  }
  RoutesChangedOnReturn(const RoutesChangedOnReturn&) = delete;
  RoutesChangedOnReturn& operator=(const RoutesChangedOnReturn&) = delete;

 private:
  LiveCallControl* live_;
};

}  // namespace

CallRouterGrpc::CallRouterGrpc(pg::PgPool& pool)
    : applications_(
          pool,
          {.table = "applications", .resource_name = "Application", .fields = kApplicationFields},
          pb::Application::descriptor()),
      numbers_(pool,
               {.table = "incoming_phone_numbers",
                .resource_name = "IncomingPhoneNumber",
                .fields = kNumberFields,
                .null_if_empty = {"voice_application_sid"}},
               pb::IncomingPhoneNumber::descriptor()),
      calls_(pool,
             {.table = "calls",
              .resource_name = "Call",
              .fields = {"parent_call_sid", "to", "from", "phone_number_sid", "status", "direction",
                         "answered_by", "forwarded_from", "caller_name"},
              .renamed = {{"to", "to_number"}, {"from", "from_number"}},
              .null_if_empty = {"parent_call_sid", "phone_number_sid", "answered_by",
                                "forwarded_from", "caller_name"},
              .read_only = {"start_time", "end_time", "duration", "price", "price_unit"}},
             pb::Call::descriptor()),
      recordings_(pool,
                  {.table = "recordings",
                   .resource_name = "Recording",
                   .fields = {"call_sid", "status", "channels", "source", "track", "media_sid",
                              "media_url"},
                   .null_if_empty = {"call_sid", "media_sid", "media_url"},
                   .read_only = {"duration", "error_code", "start_time"}},
                  pb::Recording::descriptor()) {}

grpc::Status CallRouterGrpc::CreateCall(ServerContext*, const pb::CreateCallRequest* req,
                                        pb::Call* resp) {
  return control_.Create(*req, resp);
}

grpc::Status CallRouterGrpc::UpdateCall(ServerContext* context, const pb::UpdateCallRequest* req,
                                        pb::Call* resp) {
  const bool forwarded = context != nullptr && context->client_metadata().count(kForwardedHeader);
  return control_.Update(*req, resp, forwarded);
}

// A request another replica forwarded to this one (the call's owner) is never passed on again.
grpc::Status CallRouterGrpc::CreateStream(ServerContext* context,
                                          const pb::CreateStreamRequest* req, pb::Stream* resp) {
  const bool forwarded = context != nullptr && context->client_metadata().count(kForwardedHeader);
  return control_.CreateStream(*req, resp, forwarded);
}

grpc::Status CallRouterGrpc::UpdateStream(ServerContext* context,
                                          const pb::UpdateStreamRequest* req, pb::Stream* resp) {
  const bool forwarded = context != nullptr && context->client_metadata().count(kForwardedHeader);
  return control_.UpdateStream(*req, resp, forwarded);
}

// ---- Applications ----

grpc::Status CallRouterGrpc::CreateApplication(ServerContext*,
                                               const pb::CreateApplicationRequest* req,
                                               pb::Application* resp) {
  if (auto s = CheckAccount(req->account_sid()); !s.ok()) return s;
  *resp = req->application();
  if (auto s = ValidateApplication(*resp); !s.ok()) return rpc::ToGrpcStatus(s);
  resp->set_sid(core::NewSid(core::kApplicationPrefix));
  resp->set_account_sid(req->account_sid());
  auto s = applications_.Insert(resp);
  FillApplicationDefaults(resp);
  return rpc::ToGrpcStatus(s);
}

grpc::Status CallRouterGrpc::GetApplication(ServerContext*, const pb::GetApplicationRequest* req,
                                            pb::Application* resp) {
  auto s = applications_.Get(req->account_sid(), req->sid(), resp);
  FillApplicationDefaults(resp);
  return rpc::ToGrpcStatus(s);
}

grpc::Status CallRouterGrpc::ListApplications(ServerContext*,
                                              const pb::ListApplicationsRequest* req,
                                              pb::ListApplicationsResponse* resp) {
  ProtoTable::ListQuery q{.account_sid = req->account_sid()};
  if (auto s = ReadPage(req->page(), core::kApplicationPrefix, &q); !s.ok()) return s;
  if (!req->friendly_name().empty()) q.equals["friendly_name"] = req->friendly_name();
  std::string next;
  auto s = applications_.List(
      q,
      [&] {
        auto* a = resp->add_applications();
        FillApplicationDefaults(a);
        return a;
      },
      &next);
  WritePage(req->page(), q, next, resp->mutable_page());
  return rpc::ToGrpcStatus(s);
}

grpc::Status CallRouterGrpc::UpdateApplication(ServerContext*,
                                               const pb::UpdateApplicationRequest* req,
                                               pb::Application* resp) {
  RoutesChangedOnReturn changed(live_);
  pb::Application merged;
  if (auto s = applications_.Get(req->account_sid(), req->sid(), &merged); !s.ok()) {
    return rpc::ToGrpcStatus(s);
  }
  std::vector<std::string> fields(req->update_fields().begin(), req->update_fields().end());
  const pb::Application& values = req->application();
  // Validate the row as it will be after the update.
  if (auto s = MergeFields(values, fields, &merged); !s.ok()) return s;
  if (auto s = ValidateApplication(merged); !s.ok()) return rpc::ToGrpcStatus(s);
  auto s = applications_.Update(req->account_sid(), req->sid(), values, fields, resp);
  FillApplicationDefaults(resp);
  return rpc::ToGrpcStatus(s);
}

grpc::Status CallRouterGrpc::DeleteApplication(ServerContext*,
                                               const pb::DeleteApplicationRequest* req,
                                               pb::DeleteApplicationResponse*) {
  RoutesChangedOnReturn changed(live_);
  return rpc::ToGrpcStatus(applications_.Delete(req->account_sid(), req->sid()));
}

// ---- Incoming phone numbers ----

grpc::Status CallRouterGrpc::CreateIncomingPhoneNumber(
    ServerContext*, const pb::CreateIncomingPhoneNumberRequest* req,
    pb::IncomingPhoneNumber* resp) {
  RoutesChangedOnReturn changed(live_);
  if (auto s = CheckAccount(req->account_sid()); !s.ok()) return s;
  *resp = req->number();
  if (auto s = ValidatePhoneNumber(resp->phone_number()); !s.ok()) return rpc::ToGrpcStatus(s);
  if (auto s = ValidateNumber(*resp); !s.ok()) return rpc::ToGrpcStatus(s);
  if (!resp->voice_application_sid().empty()) {
    pb::Application app;
    if (!applications_.Get(req->account_sid(), resp->voice_application_sid(), &app).ok()) {
      return {grpc::StatusCode::INVALID_ARGUMENT,
              "VoiceApplicationSid is not an application of this account"};
    }
  }
  resp->set_sid(core::NewSid(core::kPhoneNumberPrefix));
  resp->set_account_sid(req->account_sid());
  if (resp->friendly_name().empty()) resp->set_friendly_name(resp->phone_number());
  auto s = numbers_.Insert(resp);
  if (absl::IsAlreadyExists(s)) {
    return rpc::TwilioGrpcError(
        grpc::StatusCode::ALREADY_EXISTS, kTwilioNumberTaken,
        "PhoneNumber " + req->number().phone_number() + " is not available");
  }
  FillNumberDefaults(resp);
  return rpc::ToGrpcStatus(s);
}

grpc::Status CallRouterGrpc::GetIncomingPhoneNumber(ServerContext*,
                                                    const pb::GetIncomingPhoneNumberRequest* req,
                                                    pb::IncomingPhoneNumber* resp) {
  auto s = numbers_.Get(req->account_sid(), req->sid(), resp);
  FillNumberDefaults(resp);
  return rpc::ToGrpcStatus(s);
}

grpc::Status CallRouterGrpc::ListIncomingPhoneNumbers(
    ServerContext*, const pb::ListIncomingPhoneNumbersRequest* req,
    pb::ListIncomingPhoneNumbersResponse* resp) {
  ProtoTable::ListQuery q{.account_sid = req->account_sid()};
  if (auto s = ReadPage(req->page(), core::kPhoneNumberPrefix, &q); !s.ok()) return s;
  if (!req->phone_number().empty()) q.contains["phone_number"] = req->phone_number();
  if (!req->friendly_name().empty()) q.equals["friendly_name"] = req->friendly_name();
  std::string next;
  auto s = numbers_.List(
      q, [&] { return resp->add_numbers(); }, &next);
  for (auto& n : *resp->mutable_numbers()) FillNumberDefaults(&n);
  WritePage(req->page(), q, next, resp->mutable_page());
  return rpc::ToGrpcStatus(s);
}

grpc::Status CallRouterGrpc::UpdateIncomingPhoneNumber(
    ServerContext*, const pb::UpdateIncomingPhoneNumberRequest* req,
    pb::IncomingPhoneNumber* resp) {
  RoutesChangedOnReturn changed(live_);
  std::vector<std::string> fields(req->update_fields().begin(), req->update_fields().end());
  for (const auto& f : fields) {
    if (f == "phone_number") {
      return {grpc::StatusCode::INVALID_ARGUMENT, "PhoneNumber cannot be changed"};
    }
  }
  if (auto s = ValidateNumber(req->number()); !s.ok()) return rpc::ToGrpcStatus(s);
  auto s = numbers_.Update(req->account_sid(), req->sid(), req->number(), fields, resp);
  FillNumberDefaults(resp);
  return rpc::ToGrpcStatus(s);
}

grpc::Status CallRouterGrpc::DeleteIncomingPhoneNumber(
    ServerContext*, const pb::DeleteIncomingPhoneNumberRequest* req,
    pb::DeleteIncomingPhoneNumberResponse*) {
  RoutesChangedOnReturn changed(live_);
  return rpc::ToGrpcStatus(numbers_.Delete(req->account_sid(), req->sid()));
}

// ---- Calls ----

grpc::Status CallRouterGrpc::GetCall(ServerContext*, const pb::GetCallRequest* req,
                                     pb::Call* resp) {
  auto s = calls_.Get(req->account_sid(), req->sid(), resp);
  resp->set_api_version("2010-04-01");
  return rpc::ToGrpcStatus(s);
}

grpc::Status CallRouterGrpc::ListCalls(ServerContext*, const pb::ListCallsRequest* req,
                                       pb::ListCallsResponse* resp) {
  ProtoTable::ListQuery q{.account_sid = req->account_sid(), .newest_first = true};
  if (auto s = ReadPage(req->page(), core::kCallPrefix, &q); !s.ok()) return s;
  if (!req->to().empty()) q.equals["to"] = req->to();
  if (!req->from().empty()) q.equals["from"] = req->from();
  if (!req->parent_call_sid().empty()) q.equals["parent_call_sid"] = req->parent_call_sid();
  auto bound = [](const google::protobuf::Timestamp& t) {
    return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", rpc::FromProto(t), absl::UTCTimeZone());
  };
  if (req->has_start_time_after()) q.at_least["start_time"] = bound(req->start_time_after());
  if (req->has_start_time_before()) q.at_most["start_time"] = bound(req->start_time_before());
  if (req->has_end_time_after()) q.at_least["end_time"] = bound(req->end_time_after());
  if (req->has_end_time_before()) q.at_most["end_time"] = bound(req->end_time_before());
  if (req->status() != pb::CALL_STATUS_UNSPECIFIED) {
    q.equals["status"] =
        ProtoTable::EnumText(pb::CallStatus_descriptor()->FindValueByNumber(req->status()));
  }
  std::string next;
  auto s = calls_.List(
      q, [&] { return resp->add_calls(); }, &next);
  for (auto& c : *resp->mutable_calls()) c.set_api_version("2010-04-01");
  WritePage(req->page(), q, next, resp->mutable_page());
  return rpc::ToGrpcStatus(s);
}

grpc::Status CallRouterGrpc::DeleteCall(ServerContext*, const pb::DeleteCallRequest* req,
                                        pb::DeleteCallResponse*) {
  pb::Call call;
  if (auto s = calls_.Get(req->account_sid(), req->sid(), &call); !s.ok())
    return rpc::ToGrpcStatus(s);
  if (!rpc::IsFinalCallStatus(call.status())) {
    return {grpc::StatusCode::FAILED_PRECONDITION, "a call in progress cannot be deleted"};
  }
  return rpc::ToGrpcStatus(calls_.Delete(req->account_sid(), req->sid()));
}

// ---- Recordings ----

grpc::Status CallRouterGrpc::GetRecording(ServerContext*, const pb::GetRecordingRequest* req,
                                          pb::Recording* resp) {
  auto s = recordings_.Get(req->account_sid(), req->sid(), resp);
  resp->set_api_version("2010-04-01");
  return rpc::ToGrpcStatus(s);
}

grpc::Status CallRouterGrpc::ListRecordings(ServerContext*, const pb::ListRecordingsRequest* req,
                                            pb::ListRecordingsResponse* resp) {
  ProtoTable::ListQuery q{.account_sid = req->account_sid(), .newest_first = true};
  if (auto s = ReadPage(req->page(), core::kRecordingPrefix, &q); !s.ok()) return s;
  if (!req->call_sid().empty()) q.equals["call_sid"] = req->call_sid();
  std::string next;
  auto s = recordings_.List(
      q, [&] { return resp->add_recordings(); }, &next);
  WritePage(req->page(), q, next, resp->mutable_page());
  return rpc::ToGrpcStatus(s);
}

grpc::Status CallRouterGrpc::DeleteRecording(ServerContext*, const pb::DeleteRecordingRequest* req,
                                             pb::DeleteRecordingResponse*) {
  return rpc::ToGrpcStatus(recordings_.Delete(req->account_sid(), req->sid()));
}

}  // namespace dialtone::call_router

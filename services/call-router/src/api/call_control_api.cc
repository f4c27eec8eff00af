// CallControlApi: Calls create and update, and a call's Streams, from a validated request to the
// live side.
#include "api/call_control_api.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "api/api_checks.h"
#include "api/resource_validation.h"
#include "calls/twiml_names.h"
#include "media/stream_protocol.h"
#include "dialtone/core/twilio_error.h"
#include "dialtone/rpc/client.h"
#include "dialtone/rpc/status.h"
#include "sip/outbound_target.h"

namespace dialtone::call_router {
namespace {

namespace pb = dialtone::callrouter::v1;

constexpr int kTwilioNotInProgress = 21220;  // "Call is not in-progress. Cannot redirect."
constexpr int kTwilioInvalidStatus = 21218;  // our choice for an unknown Status value
constexpr int kTwilioTimeoutRange = 21216;   // our choice: Timeout out of range
// Our choice for a stream's Track, Status or Parameter that is not valid, and for a Name the call
// already has a stream by: Twilio's generic "invalid parameter", as the gateway answers for
// other values outside their enum. A bad stream Url is kErrorInvalidUrl (21205), the code a bad
// Url on Calls gets.
constexpr int kTwilioInvalidParameter = 20001;

HttpMethod FromProto(pb::HttpMethod m, HttpMethod unset = HttpMethod::kPost) {
  if (m == pb::HTTP_METHOD_GET) return HttpMethod::kGet;
  if (m == pb::HTTP_METHOD_POST) return HttpMethod::kPost;
  return unset;
}

// Inline TwiML from the API, parsed as the engine parses fetched documents.
absl::StatusOr<std::shared_ptr<const Program>> InlineTwiml(const std::string& twiml) {
  auto program = ParseTwiml(twiml, "text/xml", "");
  if (!program.ok()) return program.status();
  return std::make_shared<const Program>(*std::move(program));
}

grpc::Status StreamNotInProgress() {
  return rpc::TwilioGrpcError(grpc::StatusCode::FAILED_PRECONDITION, kTwilioNotInProgress,
                              "Call is not in-progress. Cannot start or stop a stream.");
}

// The live side's answer as the API gives it: the call's own refusals with their Twilio codes.
// (NotFound is the caller's to interpret: whether the call or the stream is missing.)
grpc::Status StreamAnswer(const absl::StatusOr<StreamInfo>& info, const std::string& account_sid,
                          const std::string& call_sid, pb::Stream* resp) {
  if (!info.ok()) {
    const absl::Status& s = info.status();
    if (core::TwilioCodeOf(s) != 0) return rpc::ToGrpcStatus(s);
    if (absl::IsFailedPrecondition(s)) return StreamNotInProgress();
    if (absl::IsInvalidArgument(s)) {
      return rpc::TwilioGrpcError(grpc::StatusCode::INVALID_ARGUMENT, kTwilioInvalidParameter,
                                  std::string(s.message()));
    }
    return rpc::ToGrpcStatus(s);
  }
  resp->set_sid(info->sid);
  resp->set_account_sid(info->account_sid.empty() ? account_sid : info->account_sid);
  resp->set_call_sid(info->call_sid.empty() ? call_sid : info->call_sid);
  resp->set_name(info->name);
  resp->set_status(info->stopped ? pb::STREAM_STATUS_STOPPED : pb::STREAM_STATUS_IN_PROGRESS);
  rpc::ToProto(info->date_updated == absl::UnixEpoch() ? absl::Now() : info->date_updated,
               resp->mutable_date_updated());
  return grpc::Status::OK;
}

// The REST form of a stream, as <Start><Stream> would carry it.
absl::StatusOr<StreamNoun> StreamFrom(const pb::CreateStreamRequest& req) {
  absl::Status valid = ValidateStreamUrl(req.url());
  if (valid.ok()) valid = ValidateCallbackUrl("StatusCallback", req.status_callback(), true);
  if (!valid.ok()) return valid;
  StreamNoun noun;
  noun.url = req.url();
  noun.name = req.name();
  if (!req.track().empty()) noun.track = req.track();
  if (!ParseStreamTracks(noun.track).ok()) {
    return core::TwilioStatus(absl::StatusCode::kInvalidArgument, kTwilioInvalidParameter,
                              "Track must be inbound_track, outbound_track or both_tracks");
  }
  noun.status_callback = req.status_callback();
  noun.status_callback_method = FromProto(req.status_callback_method());
  for (const auto& p : req.parameters()) {
    if (p.name().empty()) {
      return core::TwilioStatus(absl::StatusCode::kInvalidArgument, kTwilioInvalidParameter,
                                "Every stream Parameter needs a Name");
    }
    noun.parameters.emplace_back(p.name(), p.value());
  }
  return noun;
}

}  // namespace

CallControlApi::CallControlApi(ProtoTable& calls, ProtoTable& applications)
    : calls_(calls), applications_(applications) {}

grpc::Status CallControlApi::RouteFor(const pb::CreateCallRequest& req, CallRoute* route) {
  route->account_sid = req.account_sid();
  if (!req.application_sid().empty()) {
    pb::Application app;
    if (!applications_.Get(req.account_sid(), req.application_sid(), &app).ok()) {
      return rpc::TwilioGrpcError(grpc::StatusCode::INVALID_ARGUMENT, kErrorInvalidUrl,
                                  "ApplicationSid is not an application of this account");
    }
    route->voice_url = app.voice_url();
    route->voice_method = FromProto(app.voice_method());
    route->voice_fallback_url = app.voice_fallback_url();
    route->voice_fallback_method = FromProto(app.voice_fallback_method());
    route->status_callback = app.status_callback();
    route->status_callback_method = FromProto(app.status_callback_method());
  } else {
    route->voice_url = req.url();
    route->voice_method = FromProto(req.method());
    route->voice_fallback_url = req.fallback_url();
    route->voice_fallback_method = FromProto(req.fallback_method());
  }
  // The request's status callback wins over the application's, as in Twilio.
  if (!req.status_callback().empty()) {
    route->status_callback = req.status_callback();
    route->status_callback_method = FromProto(req.status_callback_method());
  }
  return grpc::Status::OK;
}

grpc::Status CallControlApi::Create(const pb::CreateCallRequest& request, pb::Call* resp) {
  const pb::CreateCallRequest* req = &request;
  if (auto s = CheckAccount(req->account_sid()); !s.ok()) return s;
  if (live_ == nullptr) return {grpc::StatusCode::UNAVAILABLE, "calls cannot be placed yet"};
  auto target = OutboundTargetFor(req->to(), req->from(), live_->Trunk(), live_->LocalSipHost());
  if (!target.ok()) return rpc::ToGrpcStatus(target.status());
  const int documents = (req->url().empty() ? 0 : 1) + (req->twiml().empty() ? 0 : 1) +
                        (req->application_sid().empty() ? 0 : 1);
  if (documents != 1) {
    return rpc::TwilioGrpcError(grpc::StatusCode::INVALID_ARGUMENT, kErrorInvalidUrl,
                                "Exactly one of Url, Twiml and ApplicationSid is required");
  }
  absl::Status valid = ValidateCallbackUrl("Url", req->url(), true);
  if (valid.ok()) valid = ValidateCallbackUrl("FallbackUrl", req->fallback_url(), true);
  if (valid.ok()) valid = ValidateCallbackUrl("StatusCallback", req->status_callback(), true);
  if (!valid.ok()) return rpc::ToGrpcStatus(valid);
  if (req->timeout() < 0 || req->timeout() > 600 || req->time_limit() < 0) {
    return rpc::TwilioGrpcError(grpc::StatusCode::INVALID_ARGUMENT, kTwilioTimeoutRange,
                                "Timeout must be between 1 and 600 seconds");
  }
  std::vector<std::string> event_names(req->status_callback_event().begin(),
                                       req->status_callback_event().end());
  auto events = ParseStatusCallbackEvents(event_names);
  if (!events.ok())
    return {grpc::StatusCode::INVALID_ARGUMENT, std::string(events.status().message())};

  OutboundCall call;
  call.call_sid = core::NewSid(core::kCallPrefix);
  call.from = req->from();
  call.to = req->to();
  call.events = *std::move(events);
  call.timeout_seconds = req->timeout() == 0 ? 60 : req->timeout();
  call.time_limit_seconds = req->time_limit() == 0 ? 14400 : req->time_limit();
  call.record = req->record();
  if (!req->recording_status_callback().empty()) {
    if (auto s =
            ValidateCallbackUrl("RecordingStatusCallback", req->recording_status_callback(), true);
        !s.ok()) {
      return rpc::ToGrpcStatus(s);
    }
    call.recording_status_callback = {.url = req->recording_status_callback(),
                                      .method = FromProto(req->recording_status_callback_method())};
  }
  if (!req->twiml().empty()) {
    auto program = InlineTwiml(req->twiml());
    if (!program.ok()) return rpc::ToGrpcStatus(program.status());
    call.document = *std::move(program);
  }
  if (auto s = RouteFor(*req, &call.route); !s.ok()) return s;
  if (call.document == nullptr && call.route.voice_url.empty()) {
    return rpc::TwilioGrpcError(grpc::StatusCode::INVALID_ARGUMENT, kErrorInvalidUrl,
                                "The application has no VoiceUrl");
  }
  auto token = live_->AuthToken(req->account_sid());
  if (!token.ok()) return rpc::ToGrpcStatus(token.status());
  call.route.auth_token = *std::move(token);
  call.invite = {.request_uri = target->request_uri,
                 .from_uri = target->from_uri,
                 .proxy = target->proxy,
                 .auth_username = req->sip_auth_username(),
                 .auth_password = req->sip_auth_password()};
  const std::string sid = call.call_sid;
  absl::Status read;
  auto placed =
      live_->Place(std::move(call), [&] { read = calls_.Get(req->account_sid(), sid, resp); });
  if (!placed.ok()) return rpc::ToGrpcStatus(placed);
  resp->set_api_version("2010-04-01");
  return rpc::ToGrpcStatus(read);
}

grpc::Status CallControlApi::Update(const pb::UpdateCallRequest& request, pb::Call* resp,
                                    bool forwarded) {
  const pb::UpdateCallRequest* req = &request;
  if (live_ == nullptr) return {grpc::StatusCode::UNAVAILABLE, "calls cannot be updated yet"};
  pb::Call call;
  if (auto s = calls_.Get(req->account_sid(), req->sid(), &call); !s.ok())
    return rpc::ToGrpcStatus(s);
  CallControl control;
  if (req->status() != pb::CALL_STATUS_UNSPECIFIED) {
    if (req->status() != pb::CALL_STATUS_CANCELED && req->status() != pb::CALL_STATUS_COMPLETED) {
      return rpc::TwilioGrpcError(grpc::StatusCode::INVALID_ARGUMENT, kTwilioInvalidStatus,
                                  "Status can only be canceled or completed");
    }
    control.end =
        req->status() == pb::CALL_STATUS_CANCELED ? CallState::kCanceled : CallState::kCompleted;
  }
  if (!req->url().empty() && !req->twiml().empty()) {
    return rpc::TwilioGrpcError(grpc::StatusCode::INVALID_ARGUMENT, kErrorInvalidUrl,
                                "Give Url or Twiml, not both");
  }
  absl::Status valid = ValidateCallbackUrl("Url", req->url(), true);
  if (valid.ok()) valid = ValidateCallbackUrl("StatusCallback", req->status_callback(), true);
  if (!valid.ok()) return rpc::ToGrpcStatus(valid);
  if (!req->twiml().empty()) {
    auto program = InlineTwiml(req->twiml());
    if (!program.ok()) return rpc::ToGrpcStatus(program.status());
    control.redirect = ApiRedirect{.document = *std::move(program)};
  } else if (!req->url().empty()) {
    control.redirect = ApiRedirect{.url = req->url(), .method = FromProto(req->method())};
  }
  if (!req->status_callback().empty()) {
    control.status_callback = req->status_callback();
    control.status_callback_method = FromProto(req->status_callback_method());
  }
  if (rpc::IsFinalCallStatus(call.status())) {
    // Hanging up an ended call changes nothing; redirecting one is an error, as in Twilio.
    if (control.redirect) {
      return rpc::TwilioGrpcError(grpc::StatusCode::FAILED_PRECONDITION, kTwilioNotInProgress,
                                  "Call is not in-progress. Cannot redirect.");
    }
    *resp = call;
    resp->set_api_version("2010-04-01");
    return grpc::Status::OK;
  }
  if (auto s = live_->Control(req->sid(), control); !s.ok()) {
    if (absl::IsNotFound(s)) {
      // Owned by another replica: it applies the update and answers.
      if (auto owner = live_->Owner(req->sid());
          !forwarded && owner.ok() && owner->router_id != live_->RouterId()) {
        return live_->Peers().UpdateCall(owner->address, request, resp);
      }
      return rpc::TwilioGrpcError(grpc::StatusCode::FAILED_PRECONDITION, kTwilioNotInProgress,
                                  "Call is not in-progress. Cannot redirect.");
    }
    return rpc::ToGrpcStatus(s);
  }
  auto s = calls_.Get(req->account_sid(), req->sid(), resp);
  resp->set_api_version("2010-04-01");
  return rpc::ToGrpcStatus(s);
}

grpc::Status CallControlApi::CheckCallInProgress(const std::string& account_sid,
                                                 const std::string& call_sid) {
  pb::Call call;
  if (auto s = calls_.Get(account_sid, call_sid, &call); !s.ok()) return rpc::ToGrpcStatus(s);
  if (rpc::IsFinalCallStatus(call.status())) return StreamNotInProgress();
  return grpc::Status::OK;
}

std::optional<std::string> CallControlApi::ForwardAddress(const std::string& call_sid,
                                                          bool forwarded) {
  if (forwarded) return std::nullopt;
  auto owner = live_->Owner(call_sid);
  if (!owner.ok() || owner->router_id == live_->RouterId()) return std::nullopt;
  return owner->address;
}

grpc::Status CallControlApi::CreateStream(const pb::CreateStreamRequest& request, pb::Stream* resp,
                                          bool forwarded) {
  if (auto s = CheckAccount(request.account_sid()); !s.ok()) return s;
  if (live_ == nullptr) return {grpc::StatusCode::UNAVAILABLE, "streams cannot be started yet"};
  auto noun = StreamFrom(request);
  if (!noun.ok()) return rpc::ToGrpcStatus(noun.status());
  if (auto s = CheckCallInProgress(request.account_sid(), request.call_sid()); !s.ok()) return s;
  auto started = live_->StartStream(request.call_sid(), *noun);
  if (absl::IsNotFound(started.status())) {
    // Not live here: its owner starts the stream; with no owner the call is over.
    if (auto address = ForwardAddress(request.call_sid(), forwarded)) {
      return live_->Peers().CreateStream(*address, request, resp);
    }
    return StreamNotInProgress();
  }
  return StreamAnswer(started, request.account_sid(), request.call_sid(), resp);
}

grpc::Status CallControlApi::UpdateStream(const pb::UpdateStreamRequest& request, pb::Stream* resp,
                                          bool forwarded) {
  if (auto s = CheckAccount(request.account_sid()); !s.ok()) return s;
  if (live_ == nullptr) return {grpc::StatusCode::UNAVAILABLE, "streams cannot be stopped yet"};
  if (request.status() != pb::STREAM_STATUS_STOPPED) {
    return rpc::TwilioGrpcError(grpc::StatusCode::INVALID_ARGUMENT, kTwilioInvalidParameter,
                                "Status can only be stopped");
  }
  if (request.sid().empty()) {
    return rpc::TwilioGrpcError(grpc::StatusCode::INVALID_ARGUMENT, kTwilioInvalidParameter,
                                "the stream's Sid or name is required");
  }
  if (auto s = CheckCallInProgress(request.account_sid(), request.call_sid()); !s.ok()) return s;
  auto stopped = live_->StopStream(request.call_sid(), request.sid());
  if (absl::IsNotFound(stopped.status()) && core::TwilioCodeOf(stopped.status()) == 0) {
    // NotFound says either "the call is not live here" or "it has no such stream": the lease
    // tells which. The owner stops it; a call that runs here lacks the stream; no owner at all
    // means the call is over.
    if (auto address = ForwardAddress(request.call_sid(), forwarded)) {
      return live_->Peers().UpdateStream(*address, request, resp);
    }
    auto owner = live_->Owner(request.call_sid());
    if (owner.ok() && owner->router_id == live_->RouterId()) {
      return rpc::TwilioGrpcError(grpc::StatusCode::NOT_FOUND, core::kTwilioNotFound,
                                  "The call has no stream " + request.sid());
    }
    return StreamNotInProgress();
  }
  return StreamAnswer(stopped, request.account_sid(), request.call_sid(), resp);
}

}  // namespace dialtone::call_router

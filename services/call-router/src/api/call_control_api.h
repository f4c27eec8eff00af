// Calls create and update and a call's Streams, the live-call control of the API apart from the
// resources' CRUD: validates the request (To/From, URLs or TwiML, Status, a stream's Url and
// Track), builds the outbound call, the control or the stream, and hands it to the live side,
// which the composition root implements.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "api/peer_routers.h"
#include "api/proto_table.h"
#include "calls/call_session.h"
#include "dialtone/callrouter/v1/call_router.pb.h"

namespace dialtone::call_router {

// The live side of the Calls API, implemented by the composition root (SIP stack, sessions,
// the store worker). Thread-safe; called from gRPC threads.
class LiveCallControl {
 public:
  virtual ~LiveCallControl() = default;
  // The token that signs the call's requests to the application.
  virtual absl::StatusOr<std::string> AuthToken(const std::string& account_sid) = 0;
  // The trunk for calls to phone numbers ("" when none) and our own SIP host:port for From.
  virtual std::string Trunk() const = 0;
  virtual std::string LocalSipHost() const = 0;
  // Inserts the queued Call row, calls `inserted` (the row as created, before anything can
  // change it: the API answers with it, queued, as Twilio does), then starts the INVITE.
  virtual absl::Status Place(OutboundCall call, const std::function<void()>& inserted) = 0;
  // Applies an update to a call live in this process (NotFound otherwise) and returns once its
  // row says so.
  virtual absl::Status Control(const std::string& call_sid, const CallControl& control) = 0;
  // The Streams API on a call live in this process (NotFound when it is not live here; else
  // what LiveCall::StartStream / StopStream answer). Blocking, a few seconds at most.
  virtual absl::StatusOr<StreamInfo> StartStream(const std::string& call_sid,
                                                 const twiml::StreamNoun& stream) = 0;
  virtual absl::StatusOr<StreamInfo> StopStream(const std::string& call_sid,
                                                const std::string& sid_or_name) = 0;
  // An incoming phone number or application changed: routing must not use cached copies.
  virtual void RoutesChanged() = 0;
  // The router holding a live lease on the call (this one or another replica); NotFound when
  // none does. Blocking.
  virtual absl::StatusOr<CallOwner> Owner(const std::string& call_sid) = 0;
  // This process's router ID, as leases name it.
  virtual std::string RouterId() const = 0;
  // The other replicas, to forward an update to a call's owner (one channel per peer, shared
  // with the rest of the process).
  virtual PeerRouters& Peers() = 0;
};

// Runs on gRPC's server threads; reads calls and applications through their tables.
//
//   CallControlApi api(calls_table, applications_table);
//   api.SetLive(&app);
//   grpc::Status s = api.Create(request, &call);
class CallControlApi {
 public:
  CallControlApi(ProtoTable& calls, ProtoTable& applications);
  // Without it, Create and Update answer UNAVAILABLE. Set before serving.
  void SetLive(LiveCallControl* live) { live_ = live; }

  grpc::Status Create(const callrouter::v1::CreateCallRequest& request, callrouter::v1::Call* resp);
  // A call live on another replica is updated there (`forwarded`: this request came from a
  // replica already, and is not passed on again).
  grpc::Status Update(const callrouter::v1::UpdateCallRequest& request, callrouter::v1::Call* resp,
                      bool forwarded = false);
  // Calls/{CallSid}/Streams: starts a forked stream on a call in progress, or stops one (by SID
  // or name). A call live on another replica is served there, as Update does.
  grpc::Status CreateStream(const callrouter::v1::CreateStreamRequest& request,
                            callrouter::v1::Stream* resp, bool forwarded = false);
  grpc::Status UpdateStream(const callrouter::v1::UpdateStreamRequest& request,
                            callrouter::v1::Stream* resp, bool forwarded = false);

 private:
  // OK when the account has the call and it has not ended: NOT_FOUND (20404) or
  // FAILED_PRECONDITION (21220) otherwise.
  grpc::Status CheckCallInProgress(const std::string& account_sid, const std::string& call_sid);
  // The replica other than this one that runs the call, when the request may go there (it was
  // not forwarded already); nullopt otherwise.
  std::optional<std::string> ForwardAddress(const std::string& call_sid, bool forwarded);

  // The voice settings of an outbound call: its own, or its application's.
  grpc::Status RouteFor(const callrouter::v1::CreateCallRequest& req, CallRoute* route);

  ProtoTable& calls_;
  ProtoTable& applications_;
  LiveCallControl* live_ = nullptr;
};

}  // namespace dialtone::call_router

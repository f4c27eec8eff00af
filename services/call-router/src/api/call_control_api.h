// Calls create and update, the live-call control of the API apart from the resources' CRUD:
// validates the request (To/From, URLs or TwiML, Status), builds the outbound call or the
// control, and hands it to the live side, which the composition root implements.
#pragma once

#include <functional>
#include <memory>
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

 private:
  // The voice settings of an outbound call: its own, or its application's.
  grpc::Status RouteFor(const callrouter::v1::CreateCallRequest& req, CallRoute* route);

  ProtoTable& calls_;
  ProtoTable& applications_;
  LiveCallControl* live_ = nullptr;
};

}  // namespace dialtone::call_router

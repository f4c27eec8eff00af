// gRPC CallRouter handler: applications, incoming phone numbers, calls and recordings, stored in
// PostgreSQL. Creating and updating calls reaches the live calls through LiveCallControl.
#pragma once

#include <functional>

#include "api/proto_table.h"
#include "calls/call_session.h"
#include "dialtone/callrouter/v1/call_router.grpc.pb.h"
#include "dialtone/pg/pg_pool.h"

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
  // An incoming phone number or application changed: routing must not use cached copies.
  virtual void RoutesChanged() = 0;
};

// Runs on gRPC's server threads; all state is in PostgreSQL.
class CallRouterGrpc final : public dialtone::callrouter::v1::CallRouter::Service {
 public:
  using ServerContext = grpc::ServerContext;
  explicit CallRouterGrpc(pg::PgPool& pool);
  // Without it, CreateCall and UpdateCall answer UNAVAILABLE. Set before serving.
  void SetLiveCallControl(LiveCallControl* control) { live_ = control; }

  grpc::Status CreateCall(ServerContext*, const callrouter::v1::CreateCallRequest*,
                          callrouter::v1::Call*) override;
  grpc::Status UpdateCall(ServerContext*, const callrouter::v1::UpdateCallRequest*,
                          callrouter::v1::Call*) override;

  grpc::Status CreateApplication(ServerContext*, const callrouter::v1::CreateApplicationRequest*,
                                 callrouter::v1::Application*) override;
  grpc::Status GetApplication(ServerContext*, const callrouter::v1::GetApplicationRequest*,
                              callrouter::v1::Application*) override;
  grpc::Status ListApplications(ServerContext*, const callrouter::v1::ListApplicationsRequest*,
                                callrouter::v1::ListApplicationsResponse*) override;
  grpc::Status UpdateApplication(ServerContext*, const callrouter::v1::UpdateApplicationRequest*,
                                 callrouter::v1::Application*) override;
  grpc::Status DeleteApplication(ServerContext*, const callrouter::v1::DeleteApplicationRequest*,
                                 callrouter::v1::DeleteApplicationResponse*) override;

  grpc::Status CreateIncomingPhoneNumber(ServerContext*,
                                         const callrouter::v1::CreateIncomingPhoneNumberRequest*,
                                         callrouter::v1::IncomingPhoneNumber*) override;
  grpc::Status GetIncomingPhoneNumber(ServerContext*,
                                      const callrouter::v1::GetIncomingPhoneNumberRequest*,
                                      callrouter::v1::IncomingPhoneNumber*) override;
  grpc::Status ListIncomingPhoneNumbers(ServerContext*,
                                        const callrouter::v1::ListIncomingPhoneNumbersRequest*,
                                        callrouter::v1::ListIncomingPhoneNumbersResponse*) override;
  grpc::Status UpdateIncomingPhoneNumber(ServerContext*,
                                         const callrouter::v1::UpdateIncomingPhoneNumberRequest*,
                                         callrouter::v1::IncomingPhoneNumber*) override;
  grpc::Status DeleteIncomingPhoneNumber(
      ServerContext*, const callrouter::v1::DeleteIncomingPhoneNumberRequest*,
      callrouter::v1::DeleteIncomingPhoneNumberResponse*) override;

  grpc::Status GetCall(ServerContext*, const callrouter::v1::GetCallRequest*,
                       callrouter::v1::Call*) override;
  grpc::Status ListCalls(ServerContext*, const callrouter::v1::ListCallsRequest*,
                         callrouter::v1::ListCallsResponse*) override;
  grpc::Status DeleteCall(ServerContext*, const callrouter::v1::DeleteCallRequest*,
                          callrouter::v1::DeleteCallResponse*) override;

  grpc::Status GetRecording(ServerContext*, const callrouter::v1::GetRecordingRequest*,
                            callrouter::v1::Recording*) override;
  grpc::Status ListRecordings(ServerContext*, const callrouter::v1::ListRecordingsRequest*,
                              callrouter::v1::ListRecordingsResponse*) override;
  grpc::Status DeleteRecording(ServerContext*, const callrouter::v1::DeleteRecordingRequest*,
                               callrouter::v1::DeleteRecordingResponse*) override;

 private:
  // The voice settings of an outbound call: its own, or its application's.
  grpc::Status CallRouteFor(const callrouter::v1::CreateCallRequest& req, CallRoute* route);

  LiveCallControl* live_ = nullptr;
  ProtoTable applications_;
  ProtoTable numbers_;
  ProtoTable calls_;
  ProtoTable recordings_;
};

}  // namespace dialtone::call_router

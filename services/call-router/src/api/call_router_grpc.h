// gRPC CallRouter handler: applications, incoming phone numbers, calls and recordings, stored in
// PostgreSQL. Creating and updating calls and their streams (CallControlApi) reaches the live
// calls through LiveCallControl.
#pragma once

#include <functional>

#include "api/call_control_api.h"
#include "api/proto_table.h"
#include "calls/call_session.h"
#include "dialtone/callrouter/v1/call_router.grpc.pb.h"
#include "dialtone/pg/pg_pool.h"

namespace dialtone::call_router {

// Runs on gRPC's server threads; all state is in PostgreSQL.
class CallRouterGrpc final : public dialtone::callrouter::v1::CallRouter::Service {
 public:
  using ServerContext = grpc::ServerContext;
  explicit CallRouterGrpc(pg::PgPool& pool);
  // Without it, CreateCall, UpdateCall and the Stream RPCs answer UNAVAILABLE. Set before serving.
  void SetLiveCallControl(LiveCallControl* control) {
    live_ = control;
    control_.SetLive(control);
  }

  grpc::Status CreateCall(ServerContext*, const callrouter::v1::CreateCallRequest*,
                          callrouter::v1::Call*) override;
  grpc::Status UpdateCall(ServerContext*, const callrouter::v1::UpdateCallRequest*,
                          callrouter::v1::Call*) override;
  grpc::Status CreateStream(ServerContext*, const callrouter::v1::CreateStreamRequest*,
                            callrouter::v1::Stream*) override;
  grpc::Status UpdateStream(ServerContext*, const callrouter::v1::UpdateStreamRequest*,
                            callrouter::v1::Stream*) override;

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
  LiveCallControl* live_ = nullptr;
  ProtoTable applications_;
  ProtoTable numbers_;
  ProtoTable calls_;
  ProtoTable recordings_;
  CallControlApi control_{calls_, applications_};  // Calls create and update
};

}  // namespace dialtone::call_router

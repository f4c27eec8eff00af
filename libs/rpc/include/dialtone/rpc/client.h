// What every gRPC client call and every reader of Call resources shares: the deadline of a call,
// and which call statuses are final.
#pragma once

#include <grpcpp/client_context.h>

#include <memory>

#include "absl/time/time.h"
#include "dialtone/callrouter/v1/call_router.pb.h"

namespace dialtone::rpc {

// A client context that gives up after `timeout`.
//   auto ctx = rpc::ContextWithDeadline(absl::Seconds(10));
//   grpc::Status s = stub->GetCall(ctx.get(), req, &call);
std::unique_ptr<grpc::ClientContext> ContextWithDeadline(absl::Duration timeout);

// True for completed, busy, failed, no-answer and canceled: a call that will not change again.
bool IsFinalCallStatus(callrouter::v1::CallStatus status);

}  // namespace dialtone::rpc

// Client deadlines and final call statuses.
#include "dialtone/rpc/client.h"

namespace dialtone::rpc {

std::unique_ptr<grpc::ClientContext> ContextWithDeadline(absl::Duration timeout) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return ctx;
}

bool IsFinalCallStatus(callrouter::v1::CallStatus status) {
  namespace pb = callrouter::v1;
  return status == pb::CALL_STATUS_COMPLETED || status == pb::CALL_STATUS_BUSY ||
         status == pb::CALL_STATUS_FAILED || status == pb::CALL_STATUS_NO_ANSWER ||
         status == pb::CALL_STATUS_CANCELED;
}

}  // namespace dialtone::rpc

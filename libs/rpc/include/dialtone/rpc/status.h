// The one mapping between absl::Status and grpc::Status, both ways, and proto timestamps.
#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace dialtone::rpc {

// Same code, same message, and the Twilio code (core::TwilioCodeOf) in the status details; a
// NotFound without a code of its own carries 20404. Used by every gRPC handler on its way out.
grpc::Status ToGrpcStatus(const absl::Status& status);
// The reverse, Twilio code included. Used by every gRPC client on its way in.
absl::Status FromGrpcStatus(const grpc::Status& status);

void ToProto(absl::Time t, google::protobuf::Timestamp* out);
absl::Time FromProto(const google::protobuf::Timestamp& ts);

}  // namespace dialtone::rpc

namespace dialtone::rpc {

// A gRPC error that carries a Twilio error code (as a serialized dialtone.common.v1.TwilioError
// in the status details), so that the REST gateway answers with Twilio's code.
grpc::Status TwilioGrpcError(grpc::StatusCode code, int twilio_code, const std::string& message);
// The Twilio code carried by `status`, or 0.
int TwilioCodeOf(const grpc::Status& status);

}  // namespace dialtone::rpc

// Status and timestamp conversions. gRPC and absl share the canonical code numbering.
#include "dialtone/rpc/status.h"

#include "dialtone/core/twilio_error.h"

namespace dialtone::rpc {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  int twilio_code = core::TwilioCodeOf(status);
  if (twilio_code == 0 && absl::IsNotFound(status)) twilio_code = core::kTwilioNotFound;
  if (twilio_code == 0) return grpc::Status(code, std::string(status.message()));
  return TwilioGrpcError(code, twilio_code, std::string(status.message()));
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  const auto code = static_cast<absl::StatusCode>(status.error_code());
  if (int twilio_code = TwilioCodeOf(status); twilio_code != 0) {
    return core::TwilioStatus(code, twilio_code, status.error_message());
  }
  return absl::Status(code, status.error_message());
}

void ToProto(absl::Time t, google::protobuf::Timestamp* out) {
  timespec ts = absl::ToTimespec(t);
  out->set_seconds(ts.tv_sec);
  out->set_nanos(static_cast<int32_t>(ts.tv_nsec));
}

absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

}  // namespace dialtone::rpc

#include "dialtone/common/v1/common.pb.h"

namespace dialtone::rpc {

grpc::Status TwilioGrpcError(grpc::StatusCode code, int twilio_code, const std::string& message) {
  dialtone::common::v1::TwilioError detail;
  detail.set_code(twilio_code);
  detail.set_message(message);
  return grpc::Status(code, message, detail.SerializeAsString());
}

int TwilioCodeOf(const grpc::Status& status) {
  dialtone::common::v1::TwilioError detail;
  if (status.error_details().empty() || !detail.ParseFromString(status.error_details())) return 0;
  return detail.code();
}

}  // namespace dialtone::rpc

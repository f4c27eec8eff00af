// Errors keep their code and message across the gRPC boundary; times keep their nanoseconds.
#include <catch2/catch.hpp>

#include "dialtone/callrouter/v1/call_router.pb.h"
#include "dialtone/core/twilio_error.h"
#include "dialtone/rpc/client.h"
#include "dialtone/rpc/status.h"
#include "dialtone/rpc/twilio_enum.h"

using namespace dialtone::rpc;

TEST_CASE("absl and gRPC statuses map both ways without loss") {
  absl::Status nf = absl::NotFoundError("no such call");
  grpc::Status g = ToGrpcStatus(nf);
  CHECK(g.error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(g.error_message() == "no such call");
  CHECK(TwilioCodeOf(g) == 20404);  // a plain NotFound is Twilio's "resource not found"
  CHECK(FromGrpcStatus(g).code() == absl::StatusCode::kNotFound);
  CHECK(FromGrpcStatus(g).message() == "no such call");
  CHECK(ToGrpcStatus(absl::OkStatus()).ok());
  CHECK(FromGrpcStatus(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")).code() ==
        absl::StatusCode::kUnavailable);
}

TEST_CASE("Timestamps round-trip through the proto") {
  absl::Time t = absl::FromUnixSeconds(1795000000) + absl::Nanoseconds(123456789);
  google::protobuf::Timestamp ts;
  ToProto(t, &ts);
  CHECK(ts.seconds() == 1795000000);
  CHECK(ts.nanos() == 123456789);
  CHECK(FromProto(ts) == t);
}

TEST_CASE("A Twilio code rides along a gRPC error") {
  grpc::Status s = TwilioGrpcError(grpc::StatusCode::INVALID_ARGUMENT, 21205, "Url is not valid");
  CHECK(s.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(s.error_message() == "Url is not valid");
  CHECK(TwilioCodeOf(s) == 21205);
  CHECK(TwilioCodeOf(grpc::Status(grpc::StatusCode::NOT_FOUND, "x")) == 0);
}

TEST_CASE("A Twilio code in an absl status crosses gRPC both ways") {
  absl::Status s = dialtone::core::TwilioStatus(absl::StatusCode::kFailedPrecondition, 11200,
                                                "the media URL answered 404");
  grpc::Status g = ToGrpcStatus(s);
  CHECK(g.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(TwilioCodeOf(g) == 11200);
  absl::Status back = FromGrpcStatus(g);
  CHECK(back.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(back.message() == "the media URL answered 404");
  CHECK(dialtone::core::TwilioCodeOf(back) == 11200);
  CHECK(TwilioCodeOf(ToGrpcStatus(absl::UnavailableError("down"))) == 0);
}

TEST_CASE("Only the five end statuses of a call are final") {
  namespace cr = dialtone::callrouter::v1;
  CHECK_FALSE(IsFinalCallStatus(cr::CALL_STATUS_QUEUED));
  CHECK_FALSE(IsFinalCallStatus(cr::CALL_STATUS_RINGING));
  CHECK_FALSE(IsFinalCallStatus(cr::CALL_STATUS_IN_PROGRESS));
  for (auto s : {cr::CALL_STATUS_COMPLETED, cr::CALL_STATUS_BUSY, cr::CALL_STATUS_FAILED,
                 cr::CALL_STATUS_NO_ANSWER, cr::CALL_STATUS_CANCELED}) {
    CHECK(IsFinalCallStatus(s));
  }
}

TEST_CASE("A client context's deadline is the timeout from now") {
  auto ctx = ContextWithDeadline(absl::Seconds(10));
  const auto left = ctx->deadline() - std::chrono::system_clock::now();
  CHECK(left > std::chrono::seconds(9));
  CHECK(left <= std::chrono::seconds(10));
}

TEST_CASE("Contract enums read as Twilio's strings") {
  namespace cr = dialtone::callrouter::v1;
  CHECK(TwilioEnumText(cr::CallStatus_descriptor()->FindValueByNumber(
            cr::CALL_STATUS_IN_PROGRESS)) == "in-progress");
  CHECK(TwilioEnumText(cr::CallDirection_descriptor()->FindValueByNumber(
            cr::CALL_DIRECTION_OUTBOUND_API)) == "outbound-api");
  CHECK(TwilioEnumText(cr::HttpMethod_descriptor()->FindValueByNumber(cr::HTTP_METHOD_GET)) ==
        "GET");
  CHECK(TwilioEnumText(cr::HttpMethod_descriptor()->FindValueByNumber(0)) == "POST");
}

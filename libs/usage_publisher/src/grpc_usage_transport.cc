// PublishUsage over gRPC.
#include <grpcpp/grpcpp.h>

#include "dialtone/rpc/status.h"
#include "dialtone/rpc/tls_config.h"
#include "dialtone/usage/v1/usage_metering.grpc.pb.h"
#include "dialtone/usage_publisher/usage_transport.h"

namespace dialtone::usage_publisher {
namespace {

namespace pb = dialtone::usage::v1;

class GrpcUsageTransport final : public UsageTransport {
 public:
  GrpcUsageTransport(const std::string& addr, const rpc::TlsConfig& tls, absl::Duration deadline)
      : stub_(pb::UsageMetering::NewStub(rpc::OpenChannel(addr, tls))), deadline_(deadline) {}

  absl::Status Publish(const std::vector<pb::UsageEvent>& events) override {
    pb::PublishUsageRequest req;
    for (const auto& e : events) *req.add_events() = e;
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + deadline_));
    pb::PublishUsageResponse resp;
    return rpc::FromGrpcStatus(stub_->PublishUsage(&ctx, req, &resp));
  }

 private:
  std::unique_ptr<pb::UsageMetering::Stub> stub_;
  absl::Duration deadline_;
};

}  // namespace

std::unique_ptr<UsageTransport> MakeGrpcUsageTransport(const std::string& addr,
                                                       const rpc::TlsConfig& tls,
                                                       absl::Duration deadline) {
  return std::make_unique<GrpcUsageTransport>(addr, tls, deadline);
}

}  // namespace dialtone::usage_publisher

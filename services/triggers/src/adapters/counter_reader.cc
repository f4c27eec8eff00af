// GrpcCounterReader: GetCounters on usage-metering.
#include "adapters/counter_reader.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/numbers.h"
#include "dialtone/rpc/status.h"
#include "dialtone/usage/micros.h"
#include "dialtone/usage/v1/usage_metering.grpc.pb.h"

namespace dialtone::triggers {
namespace {

namespace upb = dialtone::usage::v1;

class GrpcCounterReader final : public CounterReader {
 public:
  GrpcCounterReader(const std::string& addr, const rpc::TlsConfig& tls, absl::Duration deadline)
      : stub_(upb::UsageMetering::NewStub(rpc::OpenChannel(addr, tls))), deadline_(deadline) {}

  absl::StatusOr<std::vector<CounterSnapshot>> Read(const std::string& account,
                                                    const std::string& category,
                                                    absl::Time at) override {
    upb::GetCountersRequest req;
    req.set_account_sid(account);
    req.set_category(category);
    rpc::ToProto(at, req.mutable_at());
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + deadline_));
    upb::GetCountersResponse resp;
    if (absl::Status s = rpc::FromGrpcStatus(stub_->GetCounters(&ctx, req, &resp)); !s.ok()) {
      return s;
    }
    std::vector<CounterSnapshot> out;
    for (const auto& p : resp.periods()) {
      CounterSnapshot c{.account_sid = account, .category = category, .period = p.period()};
      auto usage = usage::ParseMicros(p.usage());
      auto price = usage::ParseMicros(p.price());
      if (!absl::SimpleAtoi(p.count(), &c.count) || !usage.ok() || !price.ok()) {
        return absl::DataLossError("usage-metering answered a malformed counter");
      }
      c.usage = *usage;
      c.price = *price;
      out.push_back(std::move(c));
    }
    return out;
  }

 private:
  std::unique_ptr<upb::UsageMetering::Stub> stub_;
  absl::Duration deadline_;
};

}  // namespace

std::unique_ptr<CounterReader> MakeGrpcCounterReader(const std::string& metering_addr,
                                                     const rpc::TlsConfig& tls,
                                                     absl::Duration deadline) {
  return std::make_unique<GrpcCounterReader>(metering_addr, tls, deadline);
}

}  // namespace dialtone::triggers

// How the publisher reaches usage-metering: an interface, so tests can fake it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "dialtone/usage/v1/usage_metering.pb.h"

namespace dialtone::rpc {
struct TlsConfig;
}  // namespace dialtone::rpc

namespace dialtone::usage_publisher {

class UsageTransport {
 public:
  virtual ~UsageTransport() = default;
  // OK: every event is counted (new or duplicate). InvalidArgument: the batch holds an event
  // metering will never accept. Anything else: try again later.
  virtual absl::Status Publish(const std::vector<usage::v1::UsageEvent>& events) = 0;
};

// PublishUsage over gRPC to `addr` ("host:port") with `tls` (plaintext when off), each call
// bounded by `deadline`.
std::unique_ptr<UsageTransport> MakeGrpcUsageTransport(const std::string& addr,
                                                       const rpc::TlsConfig& tls,
                                                       absl::Duration deadline = absl::Seconds(5));

}  // namespace dialtone::usage_publisher

// Reads usage counters from usage-metering (GetCounters over gRPC): the sweep and "+N" values.
// The triggers service never reads metering's Redis keys itself.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dialtone/rpc/tls_config.h"
#include "domain/evaluation.h"

namespace dialtone::triggers {

// Thread-safe.
class CounterReader {
 public:
  virtual ~CounterReader() = default;
  // The counters of the periods containing `at` (day, month, year, all time).
  virtual absl::StatusOr<std::vector<CounterSnapshot>> Read(const std::string& account,
                                                            const std::string& category,
                                                            absl::Time at) = 0;
};

// GetCounters on usage-metering at `metering_addr` (`tls` off: plaintext).
std::unique_ptr<CounterReader> MakeGrpcCounterReader(const std::string& metering_addr,
                                                     const rpc::TlsConfig& tls,
                                                     absl::Duration deadline);

}  // namespace dialtone::triggers

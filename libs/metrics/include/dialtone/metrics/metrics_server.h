// Prometheus /metrics endpoint of a service, with the registry its components add metrics to.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "prometheus/registry.h"

namespace prometheus {
class Exposer;
}

namespace dialtone::metrics {

// Serves GET /metrics on `address` (host:port; port 0 picks a free one) from its own thread
// pool (civetweb's). Registering metrics is thread-safe.
//
//   auto server = MetricsServer::Start("0.0.0.0:9101", "call-router");
//   auto& calls = prometheus::BuildCounter().Name("calls_total").Register(server->registry());
class MetricsServer {
 public:
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(const std::string& address,
                                                              const std::string& service);
  ~MetricsServer();

  prometheus::Registry& registry() { return *registry_; }
  std::shared_ptr<prometheus::Registry> shared_registry() { return registry_; }
  // The port actually bound.
  int port() const { return port_; }

 private:
  MetricsServer() = default;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_ = 0;
};

}  // namespace dialtone::metrics

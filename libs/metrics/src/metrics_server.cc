// MetricsServer: prometheus-cpp's civetweb exposer, with bind failures turned into Status.
#include "dialtone/metrics/metrics_server.h"

#include <exception>

#include "absl/strings/str_cat.h"
#include "prometheus/exposer.h"
#include "prometheus/gauge.h"

namespace dialtone::metrics {

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(const std::string& address,
                                                                    const std::string& service) {
  std::unique_ptr<MetricsServer> server(new MetricsServer());
  server->registry_ = std::make_shared<prometheus::Registry>();
  try {
    // civetweb wants "host:port"; "[::]:port" for IPv6 works too.
    server->exposer_ = std::make_unique<prometheus::Exposer>(address, 2);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve /metrics on ", address, ": ", e.what()));
  }
  server->exposer_->RegisterCollectable(server->registry_);
  auto ports = server->exposer_->GetListeningPorts();
  server->port_ = ports.empty() ? 0 : ports.front();
  prometheus::BuildGauge()
      .Name("dialtone_build_info")
      .Help("Always 1; labels name the service and version")
      .Register(*server->registry_)
      .Add({{"service", service}, {"version", "0.1.0"}})
      .Set(1);
  return server;
}

MetricsServer::~MetricsServer() = default;

}  // namespace dialtone::metrics

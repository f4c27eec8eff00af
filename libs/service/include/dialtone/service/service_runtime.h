// What every Dialtone service has in common: gRPC server with health, /metrics, store monitors,
// structured logs and a graceful stop on SIGTERM. Each service's app/ builds one of these.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "dialtone/config/config_loader.h"
#include "dialtone/metrics/metrics_server.h"
#include "dialtone/rpc/tls_config.h"
#include "dialtone/service/store_monitor.h"

namespace grpc {
class Server;
class Service;
}  // namespace grpc

namespace prometheus {
class Gauge;
template <typename T>
class Family;
}  // namespace prometheus

namespace dialtone::service {

// Options every service takes.
struct CommonConfig {
  std::string grpc_addr;
  std::string metrics_addr;
  std::string log_level = "info";
  absl::Duration shutdown_grace = absl::Seconds(10);
  // Mutual TLS of the gRPC server and of every client the service opens; off by default.
  rpc::TlsConfig grpc_tls;
};

// Registers grpc_addr, metrics_addr, log_level, shutdown_grace and the DIALTONE_GRPC_TLS_*
// options on `loader`.
void AddCommonOptions(config::ConfigLoader& loader, CommonConfig* config);

// Owns the process's servers. The service is SERVING on gRPC health (overall and under
// `grpc_service_name`) exactly when every store added with AddStore is ready.
// Start() and Wait() run on the main thread; stores are watched on threads of their own.
//
//   ServiceRuntime rt("call-router", "dialtone.callrouter.v1.CallRouter", common);
//   rt.AddGrpcService(&handler);
//   rt.AddStore({.name = "postgresql", .probe = [&] { return pool.Ping(); }});
//   if (auto s = rt.Start(); !s.ok()) return 1;
//   rt.WaitForSignal();   // SIGTERM or SIGINT; then drains and stops
class ServiceRuntime {
 public:
  ServiceRuntime(std::string service, std::string grpc_service_name, CommonConfig config);
  ~ServiceRuntime();

  void AddGrpcService(grpc::Service* service);
  // `on_change` of the options is chained by the runtime; leave it empty.
  void AddStore(StoreMonitor::Options store);
  // Called during shutdown, before the gRPC server stops (e.g. stop taking calls, flush usage).
  void OnShutdown(std::function<void()> fn);

  // Blocks SIGTERM/SIGINT for every thread (call before any thread exists), then starts the
  // metrics server, the gRPC server and the store monitors.
  absl::Status Start();
  // Waits for SIGTERM or SIGINT, then Shutdown().
  void WaitForSignal();
  void Shutdown();

  prometheus::Registry& metrics();
  int grpc_port() const { return grpc_port_; }
  int metrics_port() const;
  bool serving() const;

 private:
  void UpdateHealth();

  std::string service_;
  std::string grpc_service_name_;
  CommonConfig config_;
  std::vector<grpc::Service*> grpc_services_;
  std::vector<StoreMonitor::Options> store_options_;
  std::vector<std::unique_ptr<StoreMonitor>> stores_;
  std::vector<std::function<void()>> on_shutdown_;
  std::unique_ptr<metrics::MetricsServer> metrics_;
  prometheus::Family<prometheus::Gauge>* store_up_ = nullptr;
  prometheus::Gauge* serving_gauge_ = nullptr;
  std::unique_ptr<grpc::Server> server_;
  int grpc_port_ = 0;
  std::mutex health_mu_;
  bool stopped_ = false;
};

// Loads config with `loader` from argv and the environment. Prints usage and returns 0 for
// --help, prints the problems and returns 2 for bad values; returns -1 to go on.
int LoadConfigOrExitCode(config::ConfigLoader& loader, int argc, char** argv);

}  // namespace dialtone::service

// ServiceRuntime: server start-up order, health transitions and shutdown order.
#include "dialtone/service/service_runtime.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <signal.h>

#include <cstdio>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "dialtone/log/log.h"
#include "prometheus/gauge.h"

namespace dialtone::service {

void AddCommonOptions(config::ConfigLoader& loader, CommonConfig* config) {
  loader.AddString("grpc_addr", &config->grpc_addr, "gRPC listen address (host:port)",
                   config::CheckHostPort());
  loader.AddString("metrics_addr", &config->metrics_addr,
                   "Prometheus /metrics listen address (host:port)", config::CheckHostPort());
  loader.AddString("log_level", &config->log_level, "debug, info, warn or error",
                   config::CheckOneOf({"debug", "info", "warn", "error"}));
  loader.AddDuration("shutdown_grace", &config->shutdown_grace, absl::ZeroDuration(),
                     "how long in-flight work may take to finish on SIGTERM");
  rpc::AddTlsOptions(loader, &config->grpc_tls);
}

int LoadConfigOrExitCode(config::ConfigLoader& loader, int argc, char** argv) {
  absl::Status s = loader.Load(argc, argv, config::ProcessEnvironment());
  if (loader.help_requested()) {
    std::cout << loader.Usage();
    return 0;
  }
  if (!s.ok()) {
    std::cerr << s.message() << "\n";
    return 2;
  }
  return -1;
}

ServiceRuntime::ServiceRuntime(std::string service, std::string grpc_service_name,
                               CommonConfig config)
    : service_(std::move(service)),
      grpc_service_name_(std::move(grpc_service_name)),
      config_(std::move(config)) {
  log::Init(service_, config_.log_level);
}

ServiceRuntime::~ServiceRuntime() { Shutdown(); }

void ServiceRuntime::AddGrpcService(grpc::Service* service) { grpc_services_.push_back(service); }

void ServiceRuntime::AddStore(StoreMonitor::Options store) {
  store_options_.push_back(std::move(store));
}

void ServiceRuntime::OnShutdown(std::function<void()> fn) { on_shutdown_.push_back(std::move(fn)); }

prometheus::Registry& ServiceRuntime::metrics() { return metrics_->registry(); }

int ServiceRuntime::metrics_port() const { return metrics_ ? metrics_->port() : 0; }

bool ServiceRuntime::serving() const {
  for (const auto& s : stores_) {
    if (!s->ready()) return false;
  }
  return true;
}

void ServiceRuntime::UpdateHealth() {
  // Monitors call this from their own threads: compute and publish under one lock, so a stale
  // answer never overwrites a newer one.
  std::lock_guard lock(health_mu_);
  bool up = serving();
  if (serving_gauge_ != nullptr) serving_gauge_->Set(up ? 1 : 0);
  if (server_ != nullptr && server_->GetHealthCheckService() != nullptr) {
    server_->GetHealthCheckService()->SetServingStatus(up);
  }
}

absl::Status ServiceRuntime::Start() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A peer closing a socket mid-write must not kill the process.
  signal(SIGPIPE, SIG_IGN);

  auto metrics = metrics::MetricsServer::Start(config_.metrics_addr, service_);
  if (!metrics.ok()) return metrics.status();
  metrics_ = std::move(*metrics);
  store_up_ = &prometheus::BuildGauge()
                   .Name("dialtone_store_up")
                   .Help("1 when the store answers, 0 while it is unreachable")
                   .Register(metrics_->registry());
  serving_gauge_ = &prometheus::BuildGauge()
                        .Name("dialtone_serving")
                        .Help("1 when the service reports SERVING on gRPC health")
                        .Register(metrics_->registry())
                        .Add({});

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(config_.grpc_addr, rpc::ServerCredentials(config_.grpc_tls),
                           &grpc_port_);
  for (grpc::Service* s : grpc_services_) builder.RegisterService(s);
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || grpc_port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot serve gRPC on ", config_.grpc_addr));
  }
  for (auto& opts : store_options_) {
    prometheus::Gauge* up = &store_up_->Add({{"store", opts.name}});
    up->Set(0);
    opts.on_change = [this, up](bool ready) {
      up->Set(ready ? 1 : 0);
      UpdateHealth();
    };
    stores_.push_back(std::make_unique<StoreMonitor>(opts));
  }
  // NOT_SERVING until the stores are ready (SERVING at once for a service without stores);
  // set before any monitor runs, so no transition is lost.
  UpdateHealth();
  for (auto& s : stores_) s->Start();
  log::Info("service started", {{"grpc_port", grpc_port_},
                                {"metrics_port", metrics_->port()},
                                {"grpc_service", grpc_service_name_},
                                {"grpc_tls", config_.grpc_tls.enabled()}});
  return absl::OkStatus();
}

void ServiceRuntime::WaitForSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int sig = 0;
  sigwait(&set, &sig);
  log::Info("signal received, shutting down", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  Shutdown();
}

void ServiceRuntime::Shutdown() {
  if (stopped_) return;
  stopped_ = true;
  if (server_ != nullptr && server_->GetHealthCheckService() != nullptr) {
    server_->GetHealthCheckService()->SetServingStatus(false);
  }
  for (auto& fn : on_shutdown_) fn();
  if (server_ != nullptr) {
    server_->Shutdown(std::chrono::system_clock::now() +
                      absl::ToChronoMilliseconds(config_.shutdown_grace));
    server_->Wait();
  }
  for (auto& s : stores_) s->Stop();
  log::Info("service stopped");
}

}  // namespace dialtone::service

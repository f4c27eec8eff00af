// `dialtonectl health`: the gRPC health of each service (or of one address).
#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <iostream>

#include "cli_args.h"
#include "cli_output.h"
#include "commands.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace dialtone::ctl {
namespace {

struct Target {
  std::string name;
  std::string env;
  std::string fallback;
};

const std::vector<Target>& Services() {
  static const std::vector<Target> kServices = {
      {"call-router", "DIALTONE_CALL_ROUTER_ADDR", "127.0.0.1:50051"},
      {"media-layer", "DIALTONE_MEDIA_LAYER_ADDR", "127.0.0.1:50052"},
      {"rest-gateway", "DIALTONE_REST_GATEWAY_ADDR", "127.0.0.1:50053"},
      {"usage-metering", "DIALTONE_USAGE_METERING_ADDR", "127.0.0.1:50054"},
      {"triggers", "DIALTONE_TRIGGERS_ADDR", "127.0.0.1:50055"},
  };
  return kServices;
}

std::string Check(const std::shared_ptr<grpc::Channel>& channel, int timeout_ms) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(timeout_ms));
  grpc::health::v1::HealthCheckRequest req;
  grpc::health::v1::HealthCheckResponse resp;
  grpc::Status s = stub->Check(&ctx, req, &resp);
  if (!s.ok()) return "UNREACHABLE";
  return grpc::health::v1::HealthCheckResponse::ServingStatus_Name(resp.status());
}

}  // namespace

int RunHealth(const std::vector<std::string>& raw) {
  auto args = ParseCliArgs(raw);
  if (!args.ok()) {
    std::cerr << args.status().message() << "\n";
    return 2;
  }
  int timeout_ms = std::atoi(args->GetOr("timeout-ms", "2000").c_str());
  std::vector<std::pair<std::string, std::string>> targets;
  for (const auto& addr : args->GetAll("addr")) targets.emplace_back(addr, addr);
  if (targets.empty()) {
    for (const auto& t : Services()) {
      const char* env = std::getenv(t.env.c_str());
      targets.emplace_back(t.name, env != nullptr && *env != '\0' ? env : t.fallback);
    }
  }
  bool all_serving = true;
  for (const auto& [name, addr] : targets) {
    auto channel = ServiceChannelOrPrint(addr);  // a bad DIALTONE_GRPC_TLS_* is no outage
    if (channel == nullptr) return 2;
    std::string status = Check(channel, timeout_ms);
    all_serving = all_serving && status == "SERVING";
    std::cout << name << (name == addr ? "" : " " + addr) << " " << status << "\n";
  }
  return all_serving ? 0 : 1;
}

}  // namespace dialtone::ctl

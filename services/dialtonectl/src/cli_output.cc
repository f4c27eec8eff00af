// PrintJson, Fail, ServiceAddress and ServiceChannel.
#include "cli_output.h"

#include <grpcpp/grpcpp.h>

#include <google/protobuf/util/json_util.h>

#include <cstdlib>
#include <iostream>

#include "dialtone/config/config_loader.h"
#include "dialtone/rpc/tls_config.h"

namespace dialtone::ctl {

void PrintJson(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions opts;
  opts.add_whitespace = true;
  opts.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, opts);
  std::cout << out;
}

int Fail(const grpc::Status& s) {
  std::cerr << "error: " << s.error_message() << " (gRPC code " << s.error_code() << ")\n";
  return 1;
}

std::string ServiceAddress(const std::string& flag_value, const char* env,
                           const std::string& fallback) {
  if (!flag_value.empty()) return flag_value;
  const char* v = std::getenv(env);
  return v != nullptr && *v != '\0' ? v : fallback;
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> ServiceChannel(const std::string& addr) {
  auto tls = rpc::TlsConfigFromEnvironment(config::ProcessEnvironment());
  if (!tls.ok()) return tls.status();
  return rpc::OpenChannel(addr, *tls);
}

std::shared_ptr<grpc::Channel> ServiceChannelOrPrint(const std::string& addr) {
  auto channel = ServiceChannel(addr);
  if (channel.ok()) return *std::move(channel);
  std::cerr << "error: " << channel.status().message() << "\n";
  return nullptr;
}

}  // namespace dialtone::ctl

// PrintJson, Fail and ServiceAddress.
#include "cli_output.h"

#include <google/protobuf/util/json_util.h>

#include <cstdlib>
#include <iostream>

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

}  // namespace dialtone::ctl

// What every dialtonectl sub-command prints: messages as JSON (Twilio-style snake_case field
// names) on stdout, gRPC errors on stderr; and where it finds a service.
#pragma once

#include <grpcpp/support/status.h>

#include <string>

#include <google/protobuf/message.h>

namespace dialtone::ctl {

// Pretty JSON with the proto field names, then a newline-free end (as the callers expect).
void PrintJson(const google::protobuf::Message& message);
// Prints "error: <message> (gRPC code N)" and returns the exit code 1.
int Fail(const grpc::Status& status);
// --addr if given, else the environment variable `env` if set, else `fallback`.
std::string ServiceAddress(const std::string& flag_value, const char* env,
                           const std::string& fallback);

}  // namespace dialtone::ctl

// What every dialtonectl sub-command prints: messages as JSON (Twilio-style snake_case field
// names) on stdout, gRPC errors on stderr; and where it finds a service.
#pragma once

#include <grpcpp/support/status.h>

#include <memory>
#include <string>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"

namespace grpc {
class Channel;
}  // namespace grpc

namespace dialtone::ctl {

// Pretty JSON with the proto field names, then a newline-free end (as the callers expect).
void PrintJson(const google::protobuf::Message& message);
// Prints "error: <message> (gRPC code N)" and returns the exit code 1.
int Fail(const grpc::Status& status);
// --addr if given, else the environment variable `env` if set, else `fallback`.
std::string ServiceAddress(const std::string& flag_value, const char* env,
                           const std::string& fallback);
// A channel to `addr`: mutual TLS when DIALTONE_GRPC_TLS_* are set, read as the services read
// them (a partial set or an unreadable file is an error), plaintext otherwise.
absl::StatusOr<std::shared_ptr<grpc::Channel>> ServiceChannel(const std::string& addr);
// ServiceChannel, or the reason printed on stderr and nullptr (the caller exits 2).
std::shared_ptr<grpc::Channel> ServiceChannelOrPrint(const std::string& addr);

}  // namespace dialtone::ctl

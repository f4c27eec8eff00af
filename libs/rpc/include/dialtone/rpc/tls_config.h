// gRPC transport security between Dialtone services: plaintext, or mutual TLS with one CA.
// The one place that turns DIALTONE_GRPC_TLS_* into server and channel credentials.
#pragma once

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dialtone/config/config_loader.h"

namespace grpc {
class Channel;
}  // namespace grpc

namespace dialtone::rpc {

// Certificate, key and CA (PEM file paths) of a service's gRPC server and of its clients; all
// empty: plaintext. Set, every server requires a client certificate signed by the CA and every
// client presents its own and checks the server's against the CA, by the name it dials (or by
// `server_name` when set, e.g. when replicas are dialled by pod IP).
// Filled at start-up by AddTlsOptions + ConfigLoader::Load (or LoadTlsFiles); read-only after,
// so any thread may build credentials from it.
//
//   rpc::TlsConfig tls;
//   rpc::AddTlsOptions(loader, &tls);  // then loader.Load(...)
//   builder.AddListeningPort(addr, rpc::ServerCredentials(tls));
//   auto stub = pb::Triggers::NewStub(rpc::OpenChannel("triggers:50055", tls));
struct TlsConfig {
  std::string cert_file;
  std::string key_file;
  std::string ca_file;
  std::string server_name;
  // The files' contents, read once by LoadTlsFiles.
  std::string cert_pem;
  std::string key_pem;
  std::string ca_pem;

  bool enabled() const { return !cert_file.empty() || !key_file.empty() || !ca_file.empty(); }
};

// Registers grpc_tls_cert, grpc_tls_key, grpc_tls_ca and grpc_tls_server_name (variables
// DIALTONE_GRPC_TLS_*) and a rule that, after loading, calls LoadTlsFiles: a partial set or an
// unreadable or non-PEM file stops start-up with its name.
void AddTlsOptions(config::ConfigLoader& loader, TlsConfig* tls);

// Reads the three files into the *_pem fields. InvalidArgument when only some paths are set,
// a file cannot be read, or it holds no PEM block. Nothing to do when TLS is off.
absl::Status LoadTlsFiles(TlsConfig* tls);

// TlsConfig from DIALTONE_GRPC_TLS_* in `env` with its files read; for tools (dialtonectl)
// that take no other option from the environment.
absl::StatusOr<TlsConfig> TlsConfigFromEnvironment(const config::Environment& env);

// Insecure when TLS is off; otherwise TLS that requires and verifies a client certificate.
std::shared_ptr<grpc::ServerCredentials> ServerCredentials(const TlsConfig& tls);
// Insecure when TLS is off; otherwise TLS presenting our certificate and trusting only the CA.
std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials(const TlsConfig& tls);
// A channel to `addr` with ChannelCredentials, checking the server's certificate against
// `server_name` when it is set.
std::shared_ptr<grpc::Channel> OpenChannel(const std::string& addr, const TlsConfig& tls);

}  // namespace dialtone::rpc

// TlsConfig: options, file loading and the gRPC credentials built from them.
#include "dialtone/rpc/tls_config.h"

#include <grpcpp/grpcpp.h>

#include <fstream>
#include <sstream>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace dialtone::rpc {
namespace {

// The file's contents when it holds a PEM block of `kind` ("CERTIFICATE", "PRIVATE KEY").
absl::StatusOr<std::string> ReadPem(const std::string& variable, const std::string& path,
                                    absl::string_view kind) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::InvalidArgumentError(absl::StrCat(variable, "=\"", path, "\": cannot read"));
  std::ostringstream text;
  text << in.rdbuf();
  std::string pem = text.str();
  // "-----BEGIN PRIVATE KEY-----", "-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN EC ...".
  if (!absl::StrContains(pem, "-----BEGIN ") || !absl::StrContains(pem, kind)) {
    return absl::InvalidArgumentError(
        absl::StrCat(variable, "=\"", path, "\": holds no PEM ", kind));
  }
  return pem;
}

}  // namespace

void AddTlsOptions(config::ConfigLoader& loader, TlsConfig* tls) {
  loader.AddString("grpc_tls_cert", &tls->cert_file,
                   "PEM certificate of this service's gRPC server and clients; with "
                   "grpc_tls_key and grpc_tls_ca turns on mutual TLS (empty: plaintext)");
  loader.AddString("grpc_tls_key", &tls->key_file, "PEM private key of grpc_tls_cert");
  loader.AddString("grpc_tls_ca", &tls->ca_file,
                   "PEM CA that signs every service's certificate (peers are checked against it)");
  loader.AddString("grpc_tls_server_name", &tls->server_name,
                   "name checked in the server certificates instead of the dialled host");
  loader.AddRule([tls]() -> std::string {
    absl::Status s = LoadTlsFiles(tls);
    return s.ok() ? "" : std::string(s.message());
  });
}

absl::Status LoadTlsFiles(TlsConfig* tls) {
  if (!tls->enabled()) {
    if (!tls->server_name.empty()) {
      return absl::InvalidArgumentError(
          "DIALTONE_GRPC_TLS_SERVER_NAME is set but TLS is off (DIALTONE_GRPC_TLS_CERT, "
          "DIALTONE_GRPC_TLS_KEY and DIALTONE_GRPC_TLS_CA are empty)");
    }
    return absl::OkStatus();
  }
  if (tls->cert_file.empty() || tls->key_file.empty() || tls->ca_file.empty()) {
    return absl::InvalidArgumentError(
        "gRPC TLS needs all three of DIALTONE_GRPC_TLS_CERT, DIALTONE_GRPC_TLS_KEY and "
        "DIALTONE_GRPC_TLS_CA (or none, for plaintext)");
  }
  auto cert = ReadPem("DIALTONE_GRPC_TLS_CERT", tls->cert_file, "CERTIFICATE");
  if (!cert.ok()) return cert.status();
  auto key = ReadPem("DIALTONE_GRPC_TLS_KEY", tls->key_file, "PRIVATE KEY");
  if (!key.ok()) return key.status();
  auto ca = ReadPem("DIALTONE_GRPC_TLS_CA", tls->ca_file, "CERTIFICATE");
  if (!ca.ok()) return ca.status();
  tls->cert_pem = *std::move(cert);
  tls->key_pem = *std::move(key);
  tls->ca_pem = *std::move(ca);
  return absl::OkStatus();
}

absl::StatusOr<TlsConfig> TlsConfigFromEnvironment(const config::Environment& env) {
  TlsConfig tls;
  config::ConfigLoader loader("dialtone");
  AddTlsOptions(loader, &tls);
  const char* argv[] = {"dialtone"};
  if (absl::Status s = loader.Load(1, argv, env); !s.ok()) return s;
  return tls;
}

std::shared_ptr<grpc::ServerCredentials> ServerCredentials(const TlsConfig& tls) {
  if (!tls.enabled()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = tls.ca_pem;
  options.pem_key_cert_pairs.push_back({tls.key_pem, tls.cert_pem});
  return grpc::SslServerCredentials(options);
}

std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials(const TlsConfig& tls) {
  if (!tls.enabled()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = tls.ca_pem;
  options.pem_private_key = tls.key_pem;
  options.pem_cert_chain = tls.cert_pem;
  return grpc::SslCredentials(options);
}

std::shared_ptr<grpc::Channel> OpenChannel(const std::string& addr, const TlsConfig& tls) {
  grpc::ChannelArguments args;
  if (tls.enabled() && !tls.server_name.empty()) args.SetSslTargetNameOverride(tls.server_name);
  return grpc::CreateCustomChannel(addr, ChannelCredentials(tls), args);
}

}  // namespace dialtone::rpc

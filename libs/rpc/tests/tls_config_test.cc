// DIALTONE_GRPC_TLS_*: all or nothing, files read at start, a bad file named; off means plaintext.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "dialtone/rpc/tls_config.h"

using dialtone::config::Environment;
using dialtone::rpc::TlsConfig;
using dialtone::rpc::TlsConfigFromEnvironment;

namespace {

// A temp dir holding `name` files; removed at the end of the test.
class TempFiles {
 public:
  TempFiles() {
    char tmpl[] = "/tmp/tls-config-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  ~TempFiles() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

 private:
  std::string dir_;
};

constexpr char kCert[] = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
constexpr char kKey[] = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

}  // namespace

TEST_CASE("No DIALTONE_GRPC_TLS_* variable means plaintext") {
  auto tls = TlsConfigFromEnvironment({{"DIALTONE_GRPC_ADDR", "127.0.0.1:1"}});
  REQUIRE(tls.ok());
  CHECK_FALSE(tls->enabled());
}

TEST_CASE("All three files set are read once at start") {
  TempFiles files;
  Environment env{{"DIALTONE_GRPC_TLS_CERT", files.Write("svc.crt", kCert)},
                  {"DIALTONE_GRPC_TLS_KEY", files.Write("svc.key", kKey)},
                  {"DIALTONE_GRPC_TLS_CA", files.Write("ca.crt", kCert)},
                  {"DIALTONE_GRPC_TLS_SERVER_NAME", "dialtone.internal"}};
  auto tls = TlsConfigFromEnvironment(env);
  REQUIRE(tls.ok());
  CHECK(tls->enabled());
  CHECK(tls->cert_pem == kCert);
  CHECK(tls->key_pem == kKey);
  CHECK(tls->ca_pem == kCert);
  CHECK(tls->server_name == "dialtone.internal");
}

TEST_CASE("A partial set of TLS variables stops start-up") {
  TempFiles files;
  auto tls = TlsConfigFromEnvironment({{"DIALTONE_GRPC_TLS_CERT", files.Write("a.crt", kCert)},
                                       {"DIALTONE_GRPC_TLS_KEY", files.Write("a.key", kKey)}});
  REQUIRE_FALSE(tls.ok());
  CHECK_THAT(std::string(tls.status().message()), Catch::Contains("all three"));
}

TEST_CASE("A server name without TLS is refused rather than ignored") {
  auto tls = TlsConfigFromEnvironment({{"DIALTONE_GRPC_TLS_SERVER_NAME", "dialtone.internal"}});
  REQUIRE_FALSE(tls.ok());
  CHECK_THAT(std::string(tls.status().message()), Catch::Contains("TLS is off"));
}

TEST_CASE("A missing or non-PEM file is named") {
  TempFiles files;
  std::string cert = files.Write("svc.crt", kCert);
  std::string key = files.Write("svc.key", kKey);
  SECTION("missing CA") {
    auto tls = TlsConfigFromEnvironment({{"DIALTONE_GRPC_TLS_CERT", cert},
                                         {"DIALTONE_GRPC_TLS_KEY", key},
                                         {"DIALTONE_GRPC_TLS_CA", "/nonexistent/ca.crt"}});
    REQUIRE_FALSE(tls.ok());
    CHECK_THAT(std::string(tls.status().message()),
               Catch::Contains("DIALTONE_GRPC_TLS_CA=\"/nonexistent/ca.crt\": cannot read"));
  }
  SECTION("a certificate where the key should be") {
    auto tls = TlsConfigFromEnvironment({{"DIALTONE_GRPC_TLS_CERT", cert},
                                         {"DIALTONE_GRPC_TLS_KEY", cert},
                                         {"DIALTONE_GRPC_TLS_CA", cert}});
    REQUIRE_FALSE(tls.ok());
    CHECK_THAT(std::string(tls.status().message()),
               Catch::Contains("DIALTONE_GRPC_TLS_KEY=\"" + cert + "\": holds no PEM PRIVATE KEY"));
  }
  SECTION("a text file as the certificate") {
    auto tls = TlsConfigFromEnvironment({{"DIALTONE_GRPC_TLS_CERT", files.Write("x", "hello")},
                                         {"DIALTONE_GRPC_TLS_KEY", key},
                                         {"DIALTONE_GRPC_TLS_CA", cert}});
    REQUIRE_FALSE(tls.ok());
    CHECK_THAT(std::string(tls.status().message()), Catch::Contains("holds no PEM CERTIFICATE"));
  }
}

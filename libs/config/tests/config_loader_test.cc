// Configuration comes from flags and DIALTONE_* variables; bad values stop start-up by name.
#include <catch2/catch.hpp>

#include "dialtone/config/config_loader.h"

using dialtone::config::CheckHostPort;
using dialtone::config::CheckOneOf;
using dialtone::config::CheckUrl;
using dialtone::config::ConfigLoader;
using dialtone::config::Environment;

namespace {

struct Cfg {
  std::string grpc_addr = "127.0.0.1:50051";
  std::string pg_url = "postgresql://localhost/dialtone";
  std::string log_level = "info";
  int sip_port = 5060;
  bool tcp = false;
  absl::Duration timeout = absl::Seconds(5);
};

ConfigLoader MakeLoader(Cfg& cfg) {
  ConfigLoader loader("test-service");
  loader.AddString("grpc_addr", &cfg.grpc_addr, "gRPC address", CheckHostPort());
  loader.AddString("pg_url", &cfg.pg_url, "PostgreSQL", CheckUrl({"postgresql", "postgres"}));
  loader.AddString("log_level", &cfg.log_level, "level", CheckOneOf({"debug", "info", "warn"}));
  loader.AddInt("sip_port", &cfg.sip_port, 1, 65535, "SIP port");
  loader.AddBool("tcp", &cfg.tcp, "also TCP");
  loader.AddDuration("timeout", &cfg.timeout, absl::Milliseconds(1), "timeout");
  return loader;
}

absl::Status Load(ConfigLoader& loader, std::vector<const char*> args, const Environment& env) {
  args.insert(args.begin(), "prog");
  return loader.Load(static_cast<int>(args.size()), args.data(), env);
}

}  // namespace

TEST_CASE("Defaults stay when nothing is given") {
  Cfg cfg;
  auto loader = MakeLoader(cfg);
  REQUIRE(Load(loader, {}, {}).ok());
  CHECK(cfg.grpc_addr == "127.0.0.1:50051");
  CHECK(cfg.sip_port == 5060);
  CHECK(cfg.timeout == absl::Seconds(5));
}

TEST_CASE("Environment variables set options and flags override them") {
  Cfg cfg;
  auto loader = MakeLoader(cfg);
  Environment env{{"DIALTONE_GRPC_ADDR", "0.0.0.0:6000"},
                  {"DIALTONE_SIP_PORT", "5070"},
                  {"DIALTONE_TIMEOUT", "250ms"},
                  {"DIALTONE_TCP", "yes"}};
  REQUIRE(Load(loader, {"--sip-port", "5080"}, env).ok());
  CHECK(cfg.grpc_addr == "0.0.0.0:6000");
  CHECK(cfg.sip_port == 5080);
  CHECK(cfg.timeout == absl::Milliseconds(250));
  CHECK(cfg.tcp);
}

TEST_CASE("Flags accept --name=value, --name value and bare booleans") {
  Cfg cfg;
  auto loader = MakeLoader(cfg);
  REQUIRE(Load(loader, {"--grpc_addr=[::1]:7000", "--log_level", "debug", "--tcp"}, {}).ok());
  CHECK(cfg.grpc_addr == "[::1]:7000");
  CHECK(cfg.log_level == "debug");
  CHECK(cfg.tcp);
}

TEST_CASE("Every bad value is reported with its variable name") {
  Cfg cfg;
  auto loader = MakeLoader(cfg);
  Environment env{{"DIALTONE_SIP_PORT", "70000"},
                  {"DIALTONE_PG_URL", "mysql://x/y"},
                  {"DIALTONE_GRPC_ADDR", "nonsense"},
                  {"DIALTONE_TIMEOUT", "soon"}};
  absl::Status s = Load(loader, {}, env);
  REQUIRE(s.code() == absl::StatusCode::kInvalidArgument);
  std::string msg(s.message());
  CHECK(msg.find("DIALTONE_SIP_PORT=\"70000\"") != std::string::npos);
  CHECK(msg.find("between 1 and 65535") != std::string::npos);
  CHECK(msg.find("DIALTONE_PG_URL") != std::string::npos);
  CHECK(msg.find("DIALTONE_GRPC_ADDR") != std::string::npos);
  CHECK(msg.find("DIALTONE_TIMEOUT") != std::string::npos);
  CHECK(cfg.sip_port == 5060);  // a bad value never lands
}

TEST_CASE("Unknown flags and stray arguments are refused") {
  Cfg cfg;
  auto loader = MakeLoader(cfg);
  absl::Status s = Load(loader, {"--sip_prot=5070", "stray"}, {});
  REQUIRE_FALSE(s.ok());
  CHECK(std::string(s.message()).find("unknown flag --sip_prot") != std::string::npos);
  CHECK(std::string(s.message()).find("stray") != std::string::npos);
}

TEST_CASE("--help is reported and the usage names every variable") {
  Cfg cfg;
  auto loader = MakeLoader(cfg);
  REQUIRE(Load(loader, {"--help"}, {}).ok());
  CHECK(loader.help_requested());
  CHECK(loader.Usage().find("DIALTONE_PG_URL") != std::string::npos);
}

TEST_CASE("URL and address checks") {
  auto url = CheckUrl({"redis"});
  CHECK(url("redis://127.0.0.1:6379/0").empty());
  CHECK(url("redis://:secret@host:1/0").empty());
  CHECK_FALSE(url("redis://").empty());
  CHECK_FALSE(url("http://host").empty());
  auto hp = CheckHostPort();
  CHECK(hp("0.0.0.0:0").empty());
  CHECK_FALSE(hp(":80").empty());
  CHECK_FALSE(hp("host:-1").empty());
  CHECK_FALSE(hp("host").empty());
}

TEST_CASE("Rules see the loaded values and their problems stop start-up") {
  Cfg cfg;
  ConfigLoader loader = MakeLoader(cfg);
  loader.AddRule([&cfg]() -> std::string {
    return cfg.tcp && cfg.sip_port == 5060 ? "tcp needs a sip_port other than 5060" : "";
  });
  CHECK(Load(loader, {"--sip_port=5070"}, {{"DIALTONE_TCP", "true"}}).ok());
  auto s = Load(loader, {"--sip_port=5060"}, {{"DIALTONE_TCP", "true"}});
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(std::string(s.message()), Catch::Contains("tcp needs a sip_port other than 5060"));
}

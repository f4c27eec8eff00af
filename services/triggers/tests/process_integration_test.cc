// The triggers binary: two processes on one database fire each trigger once; a process killed
// (SIGKILL) between claim and delivery delivers after a restart.
#include <catch2/catch.hpp>

#include <csignal>

#include "triggers_test_support.h"

using namespace dialtone::triggers;
using namespace dialtone::triggers::test;
using dialtone::core::NewSid;

namespace {

// One triggers process on `port`.
struct TriggersProcess {
  int port;
  std::unique_ptr<dt::ChildProcess> proc;
  std::unique_ptr<tpb::Triggers::Stub> stub;
  TriggersProcess(const std::string& pg_url, const std::string& metering_addr, int want_port,
                  int delivery_workers, const std::string& sweep = "100ms")
      : port(want_port) {
    proc = std::make_unique<dt::ChildProcess>(
        std::vector<std::string>{DIALTONE_TRIGGERS_BIN,
                                 "--grpc_addr",
                                 addr(),
                                 "--metrics_addr",
                                 "127.0.0.1:" + std::to_string(dt::FreePort()),
                                 "--pg_url",
                                 pg_url,
                                 "--usage_metering_addr",
                                 metering_addr,
                                 "--test_auth_token",
                                 kToken,
                                 "--sweep_interval",
                                 sweep,
                                 "--delivery_workers",
                                 std::to_string(delivery_workers),
                                 "--delivery_poll_interval",
                                 "50ms",
                                 "--delivery_initial_backoff",
                                 "100ms",
                                 "--delivery_max_backoff",
                                 "400ms",
                                 "--log_level",
                                 "warn"},
        LogPath("triggers"));
    if (!dt::WaitForPort(port, 10000)) throw std::runtime_error("triggers did not start");
    stub = tpb::Triggers::NewStub(grpc::CreateChannel(addr(), grpc::InsecureChannelCredentials()));
  }
  std::string addr() const { return "127.0.0.1:" + std::to_string(port); }
};

// The binary's migrations are applied by its store monitor, shortly after start.
std::string EmptyDatabase() {
  std::string admin_url = dt::RequireEnv("DIALTONE_TEST_PG_URL");
  std::string name = "triggers_" + dt::RandomSuffix();
  dialtone::pg::PgPool admin({.url = admin_url});
  (void)admin.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    tx.exec("create database " + name);
    return absl::OkStatus();
  });
  return dt::WithDatabase(admin_url, name);
}

tpb::UsageTrigger CreateWhenReady(tpb::Triggers::Stub& stub, const std::string& account,
                                  const std::string& category, const std::string& value,
                                  const std::string& url) {
  for (int i = 0;; ++i) {
    try {
      return MustCreate(stub, account, category, value, url);
    } catch (const std::exception&) {
      if (i > 100) throw;  // migrations not applied yet
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

}  // namespace

TEST_CASE("With two trigger processes each crossing still fires exactly one callback") {
  CallbackServer app;
  std::string pg_url = EmptyDatabase();
  int port_a = dt::FreePort();
  Metering metering(pg_url, "127.0.0.1:" + std::to_string(port_a));  // pushes to A only
  TriggersProcess a(pg_url, metering.addr(), port_a, 2);
  TriggersProcess b(pg_url, metering.addr(), dt::FreePort(), 2);  // B sweeps every 100 ms
  constexpr int kTriggers = 20;
  std::vector<std::string> accounts, sids;
  for (int i = 0; i < kTriggers; ++i) {
    accounts.push_back(NewSid("AC"));
    // Created half through each process.
    sids.push_back(CreateWhenReady(i % 2 ? *b.stub : *a.stub, accounts.back(), "calls", "2",
                                   app.Url("/callback"))
                       .sid());
  }
  for (int round = 0; round < 3; ++round) {
    for (const std::string& account : accounts)
      metering.PublishN(account, "calls-inbound", 1, absl::Now());
  }
  REQUIRE(
      WaitFor([&] { return app.RequestsTo("/callback").size() >= kTriggers; }, absl::Seconds(15)));
  absl::SleepFor(absl::Seconds(1));  // time for a duplicate to show up, if there were one
  std::map<std::string, int> per_trigger;
  for (const auto& r : app.RequestsTo("/callback"))
    ++per_trigger[Param(FormOf(r), "UsageTriggerSid")];
  CHECK(per_trigger.size() == kTriggers);
  for (const std::string& sid : sids) {
    INFO(sid);
    CHECK(per_trigger[sid] == 1);
  }
}

TEST_CASE("A trigger process killed between claim and delivery delivers after restart") {
  CallbackServer app;
  std::string pg_url = EmptyDatabase();
  int port = dt::FreePort();
  Metering metering(pg_url, "127.0.0.1:" + std::to_string(port));
  dialtone::pg::PgPool pg({.url = pg_url});
  std::string account = NewSid("AC");
  std::string sid;
  {
    // No delivery workers: it claims and writes the outbox row, and never sends.
    TriggersProcess first(pg_url, metering.addr(), port, 0, "60s");
    sid = CreateWhenReady(*first.stub, account, "tts", "3", app.Url("/callback")).sid();
    metering.PublishN(account, "tts", 3, absl::Now());
    REQUIRE(WaitFor([&] {
      return SqlInt(pg, "select count(*) from usage_trigger_firings where trigger_sid = '" + sid +
                            "'") == 1;
    }));
    first.proc->Stop(SIGKILL);
  }
  absl::SleepFor(absl::Milliseconds(300));
  CHECK(app.RequestsTo("/callback").empty());
  CHECK(SqlInt(pg, "select count(*) from usage_trigger_firings where delivered_at is null") == 1);

  TriggersProcess restarted(pg_url, metering.addr(), port, 1, "60s");
  REQUIRE(WaitFor([&] { return app.RequestsTo("/callback").size() == 1; }, absl::Seconds(10)));
  absl::SleepFor(absl::Milliseconds(500));
  auto got = app.RequestsTo("/callback");
  REQUIRE(got.size() == 1);
  CHECK(Param(FormOf(got[0]), "UsageTriggerSid") == sid);
  CHECK(Param(FormOf(got[0]), "CurrentValue") == "3");
  CHECK(SqlInt(pg, "select count(*) from usage_trigger_firings where delivered_at is not null") ==
        1);
}

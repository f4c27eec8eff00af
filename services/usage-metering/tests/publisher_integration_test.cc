// The publisher library against the real usage-metering binary, a private Redis (so it can be
// killed) and the suite's PostgreSQL: restarts mid-stream lose nothing and double nothing.
#include <catch2/catch.hpp>

#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "dialtone/rpc/tls_config.h"
#include "dialtone/usage_publisher/usage_publisher.h"
#include "usage_test_support.h"

using namespace dialtone::usage_metering::test;
using dialtone::usage_publisher::MakeGrpcUsageTransport;
using dialtone::usage_publisher::UsagePublisher;
namespace fs = std::filesystem;

namespace {

std::string ScratchDir() {
  fs::path dir = fs::temp_directory_path() / ("dt-um-" + dt::RandomSuffix());
  fs::create_directories(dir);
  return dir.string();
}

// A redis-server with an fsync'ed append-only file, so a SIGKILL loses no acknowledged write.
struct PrivateRedis {
  int port = dt::FreePort();
  std::string dir = ScratchDir();
  std::unique_ptr<dt::ChildProcess> proc;
  PrivateRedis() { Start(); }
  ~PrivateRedis() {
    proc.reset();
    fs::remove_all(dir);
  }
  void Start() {
    proc = std::make_unique<dt::ChildProcess>(
        std::vector<std::string>{"redis-server", "--port", std::to_string(port), "--bind",
                                 "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync",
                                 "always", "--dir", dir},
        dir + "/log");
    if (!dt::WaitForPort(port, 5000)) throw std::runtime_error("private redis did not start");
  }
  void Kill() { proc->Stop(SIGKILL); }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port) + "/0"; }
};

// The usage-metering binary on free ports.
struct Metering {
  int port = dt::FreePort();
  int metrics_port = dt::FreePort();
  std::string redis_url, pg_url, log;
  std::unique_ptr<dt::ChildProcess> proc;
  Metering(std::string redis, std::string pg, std::string log_path)
      : redis_url(std::move(redis)), pg_url(std::move(pg)), log(std::move(log_path)) {
    Start();
  }
  void Start() {
    proc = std::make_unique<dt::ChildProcess>(
        std::vector<std::string>{DIALTONE_USAGE_METERING_BIN, "--grpc_addr", addr(),
                                 "--metrics_addr", "127.0.0.1:" + std::to_string(metrics_port),
                                 "--redis_url", redis_url, "--pg_url", pg_url,
                                 "--push_to_triggers=false", "--log_level", "warn"},
        log);
    if (!dt::WaitForPort(port, 10000)) throw std::runtime_error("usage-metering did not start");
  }
  void Kill() { proc->Stop(SIGKILL); }
  std::string addr() const { return "127.0.0.1:" + std::to_string(port); }
};

std::string AllTime(const std::string& addr, const std::string& account,
                    const std::string& category) {
  auto stub =
      pb::UsageMetering::NewStub(grpc::CreateChannel(addr, grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  pb::GetCountersRequest req;
  req.set_account_sid(account);
  req.set_category(category);
  pb::GetCountersResponse resp;
  grpc::Status s = stub->GetCounters(&ctx, req, &resp);
  if (!s.ok()) throw std::runtime_error("GetCounters: " + s.error_message());
  for (const auto& p : resp.periods()) {
    if (p.period() == "alltime") return p.count() + "/" + p.usage() + "/" + p.price();
  }
  return "";
}

// Publishes `n` events from a thread while `disrupt` runs on this one at 1/3 of the stream.
void StreamWithDisruption(UsagePublisher& pub, const std::string& account, int n,
                          const std::function<void()>& disrupt) {
  std::atomic<int> progress{0};
  std::thread stream([&] {
    for (int i = 0; i < n; ++i) {
      pub.Publish(Event("ev-" + std::to_string(i), account, "calls-inbound", absl::Now(), 1, "0.5",
                        "0.001"));
      progress = i + 1;
      std::this_thread::sleep_for(std::chrono::microseconds(300));
    }
  });
  while (progress < n / 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  disrupt();
  stream.join();
}

std::unique_ptr<UsagePublisher> MakePublisher(const std::string& addr, const std::string& spool) {
  auto pub = UsagePublisher::Create({.spool_path = spool,
                                     .batch_size = 50,
                                     .flush_interval = absl::Milliseconds(10),
                                     .initial_backoff = absl::Milliseconds(20),
                                     .max_backoff = absl::Milliseconds(200)},
                                    MakeGrpcUsageTransport(addr, {}, absl::Seconds(1)));
  if (!pub.ok()) throw std::runtime_error(pub.status().ToString());
  return std::move(*pub);
}

}  // namespace

TEST_CASE("Metering killed and restarted mid-stream: the publisher's spool makes totals exact") {
  std::string dir = ScratchDir();
  PrivateRedis redis;
  Metering metering(redis.url(), ScratchDatabase(), dir + "/metering.log");
  auto pub = MakePublisher(metering.addr(), dir + "/usage.spool");
  std::string account = dialtone::core::NewSid("AC");
  constexpr int kEvents = 3000;
  StreamWithDisruption(*pub, account, kEvents, [&] {
    metering.Kill();
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    metering.Start();
  });
  REQUIRE(pub->Flush(absl::Seconds(30)));
  CHECK(pub->spooled() > 0);  // the outage really went through the spool
  CHECK(pub->dropped() == 0);
  CHECK(AllTime(metering.addr(), account, "calls-inbound") == "3000/1500/3");
  CHECK(AllTime(metering.addr(), account, "calls") == "3000/1500/3");
  CHECK(AllTime(metering.addr(), account, "totalprice") == "0/3/3");
  pub->Shutdown();
  fs::remove_all(dir);
}

TEST_CASE("Redis killed and restarted mid-stream: nothing lost, nothing doubled") {
  std::string dir = ScratchDir();
  PrivateRedis redis;
  Metering metering(redis.url(), ScratchDatabase(), dir + "/metering.log");
  auto pub = MakePublisher(metering.addr(), dir + "/usage.spool");
  std::string account = dialtone::core::NewSid("AC");
  constexpr int kEvents = 3000;
  StreamWithDisruption(*pub, account, kEvents, [&] {
    redis.Kill();
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    redis.Start();
  });
  REQUIRE(pub->Flush(absl::Seconds(30)));
  CHECK(pub->spooled() > 0);
  CHECK(AllTime(metering.addr(), account, "calls-inbound") == "3000/1500/3");
  CHECK(AllTime(metering.addr(), account, "totalprice") == "0/3/3");
  pub->Shutdown();
  fs::remove_all(dir);
}

TEST_CASE("A publisher shut down while metering is away hands its spool to the next one") {
  std::string dir = ScratchDir();
  PrivateRedis redis;
  Metering metering(redis.url(), ScratchDatabase(), dir + "/metering.log");
  std::string account = dialtone::core::NewSid("AC");
  metering.Kill();
  {
    auto pub = MakePublisher(metering.addr(), dir + "/usage.spool");
    for (int i = 0; i < 200; ++i) {
      pub->Publish(Event("s-" + std::to_string(i), account, "tts", absl::Now(), 1, "10"));
    }
    pub->Shutdown();
    CHECK(pub->spooled() == 200);
  }
  metering.Start();
  auto next = MakePublisher(metering.addr(), dir + "/usage.spool");
  REQUIRE(next->Flush(absl::Seconds(30)));
  CHECK(AllTime(metering.addr(), account, "tts") == "200/2000/0");
  fs::remove_all(dir);
}

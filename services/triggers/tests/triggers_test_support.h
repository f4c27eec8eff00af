// Shared helpers of the triggers integration tests: a scratch database with the triggers
// migrations, the real usage-metering binary, the local callback server (tests/lib/app_server.py),
// the triggers core in-process with an injected clock, the triggers binary, and waiting.
#pragma once

#include <curl/curl.h>
#include <grpcpp/grpcpp.h>
#include <pqxx/pqxx>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "adapters/auth_tokens.h"
#include "app/triggers_core.h"
#include "dialtone/core/sid.h"
#include "dialtone/core/time_format.h"
#include "dialtone/pg/migration_runner.h"
#include "dialtone/pg/pg_pool.h"
#include "dialtone/pg/testing/scratch_database.h"
#include "dialtone/rpc/status.h"
#include "dialtone/testing/test_env.h"
#include "dialtone/triggers/v1/triggers.grpc.pb.h"
#include "dialtone/usage/v1/usage_metering.grpc.pb.h"
#include "dialtone/webhook/form_encoding.h"

namespace dialtone::triggers::test {

namespace dt = dialtone::testing;
namespace tpb = dialtone::triggers::v1;
namespace upb = dialtone::usage::v1;

inline constexpr char kToken[] = "0123456789abcdef0123456789abcdef";

inline absl::Time At(const char* iso) { return *core::ParseIso8601(iso); }

// Polls `done` every 20 ms for up to `timeout`.
inline bool WaitFor(const std::function<bool()>& done, absl::Duration timeout = absl::Seconds(10)) {
  absl::Time end = absl::Now() + timeout;
  while (absl::Now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

// A fresh database; triggers' migrations applied (usage-metering applies its own at start).
inline std::string ScratchDatabase() {
  return pg::testing::CreateMigratedDatabase("triggers_", DIALTONE_DEFAULT_SQL_DIR, "triggers");
}

// One integer from SQL, for assertions on the outbox.
inline int64_t SqlInt(pg::PgPool& pool, const std::string& sql) {
  int64_t v = -1;
  absl::Status s = pool.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    v = tx.exec1(sql)[0].as<int64_t>();
    return absl::OkStatus();
  });
  if (!s.ok()) throw std::runtime_error(s.ToString());
  return v;
}

inline std::string LogPath(const std::string& what) {
  return "/tmp/dialtone-triggers-test-" + what + "-" + dt::RandomSuffix() + ".log";
}

// tests/lib/app_server.py, on `port` (0: any).
struct CallbackServer : dt::AppServer {
  explicit CallbackServer(int want_port = 0)
      : dt::AppServer(DIALTONE_SOURCE_DIR, want_port, {}, LogPath("app-server")) {}
  // Every request the server has seen.
  boost::json::array Requests() const {
    CURL* c = curl_easy_init();
    std::string body;
    std::string url = Url("/_requests");
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(
        c, CURLOPT_WRITEFUNCTION, +[](char* d, size_t s, size_t n, void* out) {
          static_cast<std::string*>(out)->append(d, s * n);
          return s * n;
        });
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    curl_easy_perform(c);
    curl_easy_cleanup(c);
    return boost::json::parse(body).as_array();
  }
  // Requests to `path`, e.g. "/callback".
  std::vector<boost::json::object> RequestsTo(const std::string& path) const {
    std::vector<boost::json::object> out;
    for (const auto& r : Requests()) {
      const auto& o = r.as_object();
      std::string p(o.at("path").as_string());
      if (p.substr(0, p.find('?')) == path) out.push_back(o);
    }
    return out;
  }
};

// The form parameters of a recorded request, in order.
inline webhook::Params FormOf(const boost::json::object& request) {
  return *webhook::FormDecode(std::string(request.at("body").as_string()));
}
inline std::string Param(const webhook::Params& p, const std::string& name) {
  for (const auto& [k, v] : p) {
    if (k == name) return v;
  }
  return "<missing " + name + ">";
}

// The real usage-metering binary pushing counters to `triggers_addr` (empty: no pushes).
struct Metering {
  std::unique_ptr<dt::ChildProcess> proc;
  int port = dt::FreePort();
  std::unique_ptr<upb::UsageMetering::Stub> stub;
  Metering(const std::string& pg_url, const std::string& triggers_addr) {
    std::vector<std::string> argv = {DIALTONE_USAGE_METERING_BIN,
                                     "--grpc_addr",
                                     addr(),
                                     "--metrics_addr",
                                     "127.0.0.1:" + std::to_string(dt::FreePort()),
                                     "--redis_url",
                                     dt::RequireEnv("DIALTONE_TEST_REDIS_URL"),
                                     "--pg_url",
                                     pg_url,
                                     "--log_level",
                                     "warn",
                                     "--trigger_push_interval",
                                     "20ms"};
    if (triggers_addr.empty()) {
      argv.push_back("--push_to_triggers=false");
    } else {
      argv.push_back("--triggers_addr");
      argv.push_back(triggers_addr);
    }
    proc = std::make_unique<dt::ChildProcess>(argv, LogPath("metering"));
    if (!dt::WaitForPort(port, 10000)) throw std::runtime_error("usage-metering did not start");
    stub = upb::UsageMetering::NewStub(
        grpc::CreateChannel(addr(), grpc::InsecureChannelCredentials()));
    // Ready once it answers (Redis connected).
    WaitFor([&] { return Publish({}).ok(); });
  }
  std::string addr() const { return "127.0.0.1:" + std::to_string(port); }

  grpc::Status Publish(const std::vector<upb::UsageEvent>& events) {
    upb::PublishUsageRequest req;
    for (const auto& e : events) *req.add_events() = e;
    upb::PublishUsageResponse resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    return stub->PublishUsage(&ctx, req, &resp);
  }
  // `n` events of `count` 1 and `usage` each, at `t`, with fresh ids.
  void PublishN(const std::string& account, const std::string& category, int n, absl::Time t,
                const std::string& usage = "1") {
    std::vector<upb::UsageEvent> events;
    for (int i = 0; i < n; ++i) {
      upb::UsageEvent e;
      e.set_event_id("ev-" + dt::RandomSuffix() + dt::RandomSuffix());
      e.set_account_sid(account);
      e.set_category(category);
      e.set_count(1);
      e.set_usage(usage);
      rpc::ToProto(t, e.mutable_time());
      events.push_back(e);
    }
    grpc::Status s = Publish(events);
    if (!s.ok()) throw std::runtime_error("PublishUsage: " + s.error_message());
  }
};

// A settable clock shared with the core.
struct TestClock {
  std::atomic<int64_t> micros{absl::ToUnixMicros(absl::Now())};
  void Set(absl::Time t) { micros = absl::ToUnixMicros(t); }
  Clock AsClock() {
    return [this] { return absl::FromUnixMicros(micros.load()); };
  }
};

// TriggersCore in this process behind a gRPC server on `port`, signing with kToken.
struct InProcessTriggers {
  int port;
  std::unique_ptr<TriggersCore> core;
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<tpb::Triggers::Stub> stub;

  InProcessTriggers(Config config, Clock clock, int want_port = dt::FreePort()) : port(want_port) {
    core = std::make_unique<TriggersCore>(config, std::move(clock), MakeFixedAuthToken(kToken));
    grpc::ServerBuilder b;
    b.AddListeningPort(addr(), grpc::InsecureServerCredentials());
    b.RegisterService(&core->grpc());
    server = b.BuildAndStart();
    if (!server) throw std::runtime_error("cannot listen on " + addr());
    stub = tpb::Triggers::NewStub(grpc::CreateChannel(addr(), grpc::InsecureChannelCredentials()));
    core->StartBackground();
  }
  ~InProcessTriggers() {
    core->StopBackground();
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  }
  std::string addr() const { return "127.0.0.1:" + std::to_string(port); }
};

// Test defaults: quick sweeps and retries.
inline Config TestConfig(const std::string& pg_url, const std::string& metering_addr) {
  Config c;
  c.pg_url = pg_url;
  c.usage_metering_addr = metering_addr;
  c.sweep_interval = absl::Seconds(60);  // tests that want the sweep lower it
  c.delivery_workers = 2;
  c.delivery_poll_interval = absl::Milliseconds(50);
  c.delivery_initial_backoff = absl::Milliseconds(100);
  c.delivery_max_backoff = absl::Milliseconds(400);
  c.callback_timeout = absl::Seconds(3);
  c.fetch_allow = "127.0.0.0/8";  // the callback servers listen on loopback
  return c;
}

inline grpc::Status Create(tpb::Triggers::Stub& stub, const tpb::CreateTriggerRequest& req,
                           tpb::UsageTrigger* out) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return stub.CreateTrigger(&ctx, req, out);
}

inline tpb::UsageTrigger MustCreate(tpb::Triggers::Stub& stub, const std::string& account,
                                    const std::string& category, const std::string& value,
                                    const std::string& callback_url,
                                    tpb::Recurring recurring = tpb::RECURRING_UNSPECIFIED,
                                    tpb::TriggerBy by = tpb::TRIGGER_BY_COUNT) {
  tpb::CreateTriggerRequest req;
  req.set_account_sid(account);
  req.set_usage_category(category);
  req.set_trigger_value(value);
  req.set_callback_url(callback_url);
  req.set_recurring(recurring);
  req.set_trigger_by(by);
  req.set_friendly_name("test trigger");
  tpb::UsageTrigger t;
  grpc::Status s = Create(stub, req, &t);
  if (!s.ok()) throw std::runtime_error("CreateTrigger: " + s.error_message());
  return t;
}

}  // namespace dialtone::triggers::test

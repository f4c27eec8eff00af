// CallStore routing against a real PostgreSQL: the cache of numbers, unknown numbers and auth
// tokens, and that number changes through the CallRouter handler empty it.
#include <catch2/catch.hpp>

#include <atomic>
#include <pqxx/pqxx>
#include <thread>

#include "api/call_router_grpc.h"
#include "calls/call_store.h"
#include "dialtone/pg/testing/scratch_database.h"

namespace dialtone::call_router {
namespace {

constexpr char kAccount[] = "AC0123456789abcdef0123456789abcdef";

class CountingTokens final : public AuthTokenSource {
 public:
  absl::StatusOr<std::string> AuthToken(const std::string&) override {
    ++calls;
    return std::string("token-1");
  }
  std::atomic<int> calls{0};
};

// The live side as the CallRouter handler sees it; only RoutesChanged matters here.
class RoutesOnly final : public LiveCallControl {
 public:
  explicit RoutesOnly(CallStore& store) : store_(store) {}
  absl::StatusOr<std::string> AuthToken(const std::string&) override { return std::string(); }
  std::string Trunk() const override { return ""; }
  std::string LocalSipHost() const override { return "127.0.0.1:5060"; }
  absl::Status Place(OutboundCall, const std::function<void()>&) override {
    return absl::UnimplementedError("test");
  }
  absl::Status Control(const std::string&, const CallControl&) override {
    return absl::UnimplementedError("test");
  }
  absl::StatusOr<StreamInfo> StartStream(const std::string&, const StreamNoun&) override {
    return absl::UnimplementedError("test");
  }
  absl::StatusOr<StreamInfo> StopStream(const std::string&, const std::string&) override {
    return absl::UnimplementedError("test");
  }
  void RoutesChanged() override {
    ++changes;
    store_.ForgetRoutes();
  }
  absl::StatusOr<CallOwner> Owner(const std::string&) override {
    return absl::NotFoundError("test");
  }
  std::string RouterId() const override { return "test"; }
  PeerRouters& Peers() override { return peers_; }
  PeerRouters peers_{"test", {}};
  int changes = 0;

 private:
  CallStore& store_;
};

struct Fixture {
  pg::PgPool pool{{.url = pg::testing::CreateMigratedDatabase(
                       "crs_", std::string(DIALTONE_SOURCE_DIR) + "/deploy/sql", "call-router")}};
  CountingTokens tokens;
  CallStore store{pool,
                  tokens,
                  {.route_ttl = absl::Seconds(30),
                   .unknown_ttl = absl::Milliseconds(300),
                   .token_ttl = absl::Seconds(30)}};

  void Sql(const std::string& sql) {
    auto s = pool.Run([&](pqxx::connection& c) {
      pqxx::work tx(c);
      tx.exec(sql);
      tx.commit();
      return absl::OkStatus();
    });
    REQUIRE(s.ok());
  }
};

TEST_CASE("CallStore: a number's route is read once, then served from the cache") {
  Fixture f;
  f.Sql(std::string("insert into incoming_phone_numbers (sid, account_sid, phone_number, voice_url)"
                    " values ('PN00000000000000000000000000000001', '") +
        kAccount + "', '+15005550006', 'https://app.example/one')");
  auto first = f.store.Route("+15005550006");
  REQUIRE(first.ok());
  CHECK(first->voice_url == "https://app.example/one");
  CHECK(first->auth_token == "token-1");
  // Changed behind the router's back: the cached route still answers, without a token fetch.
  f.Sql("update incoming_phone_numbers set voice_url = 'https://app.example/two'");
  auto second = f.store.Route("15005550006");  // the same number without '+': its own entry
  auto cached = f.store.Route("+15005550006");
  REQUIRE(cached.ok());
  CHECK(cached->voice_url == "https://app.example/one");
  CHECK(f.tokens.calls == 1);
  REQUIRE(second.ok());
  CHECK(second->voice_url == "https://app.example/two");
  f.store.ForgetRoutes();
  CHECK(f.store.Route("+15005550006")->voice_url == "https://app.example/two");
}

TEST_CASE("CallStore: an unknown number is remembered only briefly") {
  Fixture f;
  CHECK(absl::IsNotFound(f.store.Route("+15005550007").status()));
  f.Sql(std::string("insert into incoming_phone_numbers (sid, account_sid, phone_number, voice_url)"
                    " values ('PN00000000000000000000000000000002', '") +
        kAccount + "', '+15005550007', 'https://app.example/new')");
  CHECK(absl::IsNotFound(f.store.Route("+15005550007").status()));
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  auto found = f.store.Route("+15005550007");
  REQUIRE(found.ok());
  CHECK(found->voice_url == "https://app.example/new");
}

TEST_CASE("CallStore: updating a number through the CallRouter handler takes effect at once") {
  Fixture f;
  CallRouterGrpc grpc(f.pool);
  RoutesOnly live(f.store);
  grpc.SetLiveCallControl(&live);
  grpc::ServerContext ctx;
  callrouter::v1::CreateIncomingPhoneNumberRequest create;
  create.set_account_sid(kAccount);
  create.mutable_number()->set_phone_number("+15005550008");
  create.mutable_number()->set_voice_url("https://app.example/before");
  callrouter::v1::IncomingPhoneNumber number;
  REQUIRE(grpc.CreateIncomingPhoneNumber(&ctx, &create, &number).ok());
  REQUIRE(f.store.Route("+15005550008")->voice_url == "https://app.example/before");

  callrouter::v1::UpdateIncomingPhoneNumberRequest update;
  update.set_account_sid(kAccount);
  update.set_sid(number.sid());
  update.mutable_number()->set_voice_url("https://app.example/after");
  update.add_update_fields("voice_url");
  callrouter::v1::IncomingPhoneNumber updated;
  REQUIRE(grpc.UpdateIncomingPhoneNumber(&ctx, &update, &updated).ok());
  CHECK(f.store.Route("+15005550008")->voice_url == "https://app.example/after");

  callrouter::v1::DeleteIncomingPhoneNumberRequest del;
  del.set_account_sid(kAccount);
  del.set_sid(number.sid());
  callrouter::v1::DeleteIncomingPhoneNumberResponse gone;
  REQUIRE(grpc.DeleteIncomingPhoneNumber(&ctx, &del, &gone).ok());
  CHECK(absl::IsNotFound(f.store.Route("+15005550008").status()));
  CHECK(live.changes == 3);
}

}  // namespace
}  // namespace dialtone::call_router

namespace dialtone::call_router {

TEST_CASE("CallStore: a dead router's answered call ends completed, an unanswered one failed") {
  Fixture f;
  const absl::Time start = absl::Now() - absl::Seconds(42);
  REQUIRE(f.store
              .InsertQueued({.sid = "CA00000000000000000000000000000001",
                             .account_sid = kAccount,
                             .from = "+15005550100",
                             .to = "sip:bob@example.com",
                             .status_callback = "https://app.example/status",
                             .status_callback_method = HttpMethod::kGet,
                             .status_callback_events = "ringing answered completed"})
              .ok());
  REQUIRE(f.store.MarkInProgress("CA00000000000000000000000000000001", start).ok());
  REQUIRE(f.store
              .InsertRinging({.sid = "CA00000000000000000000000000000002",
                              .account_sid = kAccount,
                              .from = "+15551230000",
                              .to = "+15005550100"})
              .ok());

  auto answered =
      f.store.EndAbandoned("CA00000000000000000000000000000001", start + absl::Seconds(30));
  REQUIRE(answered.ok());
  REQUIRE(answered->has_value());
  const AbandonedCall& a = **answered;
  CHECK(a.answered);
  CHECK(a.facts.call_status == "completed");
  CHECK(a.facts.direction == "outbound-api");
  CHECK(a.facts.account_sid == kAccount);
  CHECK(a.facts.duration_seconds == 30);  // until it was last known up
  CHECK(a.status_callback == "https://app.example/status");
  CHECK(a.status_callback_method == HttpMethod::kGet);
  CHECK(a.status_callback_events == "ringing answered completed");

  auto ringing = f.store.EndAbandoned("CA00000000000000000000000000000002", absl::Now());
  REQUIRE(ringing.ok());
  REQUIRE(ringing->has_value());
  CHECK_FALSE((*ringing)->answered);
  CHECK((*ringing)->facts.call_status == "failed");
  CHECK((*ringing)->facts.duration_seconds == 0);

  // A second replica (or a retry) finds them ended: nothing to report twice.
  auto again = f.store.EndAbandoned("CA00000000000000000000000000000001", absl::Now());
  REQUIRE(again.ok());
  CHECK_FALSE(again->has_value());
  auto unknown = f.store.EndAbandoned("CA0000000000000000000000000000000f", absl::Now());
  REQUIRE(unknown.ok());
  CHECK_FALSE(unknown->has_value());
}

}  // namespace dialtone::call_router

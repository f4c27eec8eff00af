// Applications, incoming phone numbers, calls and recordings through the CallRouter handler,
// against a real PostgreSQL with the service's own migrations; a call's Streams against a fake
// live side (and a second handler on a real gRPC port as the call's owning replica).
#include <catch2/catch.hpp>

#include <grpcpp/grpcpp.h>

#include <map>
#include <mutex>
#include <pqxx/pqxx>
#include <set>

#include "absl/time/time.h"

#include "api/call_router_grpc.h"
#include "dialtone/pg/testing/scratch_database.h"
#include "dialtone/rpc/status.h"
#include "dialtone/testing/test_env.h"

using dialtone::call_router::CallRouterGrpc;
namespace cr = dialtone::call_router;
namespace pb = dialtone::callrouter::v1;
namespace dt = dialtone::testing;

namespace {

constexpr char kAccount[] = "AC0123456789abcdef0123456789abcdef";
constexpr char kOther[] = "ACffffffffffffffffffffffffffffffff";

struct Db {
  std::unique_ptr<dialtone::pg::PgPool> pool;
  std::unique_ptr<CallRouterGrpc> grpc;
  grpc::ServerContext ctx;

  Db() {
    pool = std::make_unique<dialtone::pg::PgPool>(dialtone::pg::PgPool::Options{
        .url = dialtone::pg::testing::CreateMigratedDatabase(
            "cr_", std::string(DIALTONE_SOURCE_DIR) + "/deploy/sql", "call-router")});
    grpc = std::make_unique<CallRouterGrpc>(*pool);
  }

  void Sql(const std::string& sql) {
    auto s = pool->Run([&](pqxx::connection& c) {
      pqxx::work tx(c);
      tx.exec(sql);
      tx.commit();
      return absl::OkStatus();
    });
    if (!s.ok()) throw std::runtime_error(s.ToString());
  }

  // A call row of kAccount in `status` (a Twilio status: in-progress, completed...).
  void AddCall(const std::string& sid, const std::string& status) {
    Sql("insert into calls (sid, account_sid, to_number, from_number, status, direction) values "
        "('" +
        sid + "', '" + kAccount + "', '+15005550002', '+15005550006', '" + status +
        "', 'outbound-api')");
  }

  pb::Application CreateApp(const std::string& account, const std::string& name,
                            const std::string& url = "https://app.example/voice") {
    pb::CreateApplicationRequest req;
    req.set_account_sid(account);
    req.mutable_application()->set_friendly_name(name);
    req.mutable_application()->set_voice_url(url);
    pb::Application out;
    auto s = grpc->CreateApplication(&ctx, &req, &out);
    if (!s.ok()) throw std::runtime_error(s.error_message());
    return out;
  }
};

// The live side of one router: which calls run here, the streams they were asked to start or
// stop, and the lease each call's owner holds. Called from gRPC threads.
class FakeLive final : public cr::LiveCallControl {
 public:
  explicit FakeLive(std::string router_id) : router_id_(router_id), peers_(router_id, {}) {}

  absl::StatusOr<std::string> AuthToken(const std::string&) override { return std::string(); }
  std::string Trunk() const override { return ""; }
  std::string LocalSipHost() const override { return "127.0.0.1:5060"; }
  absl::Status Place(cr::OutboundCall, const std::function<void()>&) override {
    return absl::UnimplementedError("test");
  }
  absl::Status Control(const std::string&, const cr::CallControl&) override {
    return absl::UnimplementedError("test");
  }
  absl::StatusOr<cr::StreamInfo> StartStream(const std::string& call_sid,
                                             const cr::StreamNoun& stream) override {
    std::lock_guard lock(mu_);
    if (!live_calls.count(call_sid)) return absl::NotFoundError("call is not live here");
    started.push_back(stream);
    if (!start_answer.ok()) return start_answer;
    return cr::StreamInfo{.sid = "MZ0123456789abcdef0123456789abcdef",
                          .account_sid = kAccount,
                          .call_sid = call_sid,
                          .name = stream.name,
                          .date_updated = absl::FromUnixSeconds(1438286400)};
  }
  absl::StatusOr<cr::StreamInfo> StopStream(const std::string& call_sid,
                                            const std::string& sid_or_name) override {
    std::lock_guard lock(mu_);
    // NotFound both for a call not live here and for a stream the call lacks, as the app says.
    if (!live_calls.count(call_sid) || sid_or_name != "mine") {
      return absl::NotFoundError("not here");
    }
    return cr::StreamInfo{.sid = "MZ0123456789abcdef0123456789abcdef",
                          .account_sid = kAccount,
                          .call_sid = call_sid,
                          .name = "mine",
                          .stopped = true,
                          .date_updated = absl::FromUnixSeconds(1438286400)};
  }
  void RoutesChanged() override {}
  absl::StatusOr<cr::CallOwner> Owner(const std::string& call_sid) override {
    std::lock_guard lock(mu_);
    auto it = owners.find(call_sid);
    if (it == owners.end()) return absl::NotFoundError("no lease");
    return it->second;
  }
  std::string RouterId() const override { return router_id_; }
  cr::PeerRouters& Peers() override { return peers_; }

  std::mutex mu_;
  std::set<std::string> live_calls;
  std::map<std::string, cr::CallOwner> owners;
  absl::Status start_answer;  // what a live call answers StartStream with (OK: a stream)
  std::vector<cr::StreamNoun> started;

 private:
  const std::string router_id_;
  cr::PeerRouters peers_;
};

constexpr char kLiveCall[] = "CA00000000000000000000000000000021";
constexpr char kEndedCall[] = "CA00000000000000000000000000000022";

// A handler wired to a fake live side on which kLiveCall (in progress) runs here.
struct StreamsFixture {
  Db db;
  FakeLive live{"router-a"};
  StreamsFixture() {
    db.grpc->SetLiveCallControl(&live);
    db.AddCall(kLiveCall, "in-progress");
    db.AddCall(kEndedCall, "completed");
    live.live_calls.insert(kLiveCall);
    live.owners[kLiveCall] = {"router-a", "127.0.0.1:1"};
  }
  grpc::Status Create(pb::CreateStreamRequest req, pb::Stream* out) {
    req.set_account_sid(kAccount);
    if (req.call_sid().empty()) req.set_call_sid(kLiveCall);
    if (req.url().empty()) req.set_url("wss://app.example/stream");
    return db.grpc->CreateStream(&db.ctx, &req, out);
  }
  grpc::Status Stop(const std::string& call_sid, const std::string& sid, pb::Stream* out) {
    pb::UpdateStreamRequest req;
    req.set_account_sid(kAccount);
    req.set_call_sid(call_sid);
    req.set_sid(sid);
    req.set_status(pb::STREAM_STATUS_STOPPED);
    return db.grpc->UpdateStream(&db.ctx, &req, out);
  }
};

}  // namespace

TEST_CASE("CallRouter: a stream started through the API reaches the live call as <Stream> would") {
  StreamsFixture f;
  pb::CreateStreamRequest req;
  req.set_name("agent");
  req.set_track("both_tracks");
  req.set_status_callback("https://app.example/stream-status");
  req.set_status_callback_method(pb::HTTP_METHOD_GET);
  const std::vector<std::pair<std::string, std::string>> given = {
      {"b", "2"}, {"a", "1"}, {"b", "3"}};
  for (const auto& [name, value] : given) {
    auto* p = req.add_parameters();
    p->set_name(name);
    p->set_value(value);
  }
  pb::Stream out;
  auto s = f.Create(req, &out);
  REQUIRE(s.ok());
  REQUIRE(f.live.started.size() == 1);
  const cr::StreamNoun& noun = f.live.started[0];
  CHECK(noun.url == "wss://app.example/stream");
  CHECK(noun.name == "agent");
  CHECK(noun.track == "both_tracks");
  CHECK(noun.status_callback == "https://app.example/stream-status");
  CHECK(noun.status_callback_method == cr::HttpMethod::kGet);
  // In the order given, duplicates kept: the app's customParameters as the caller listed them.
  CHECK(noun.parameters == given);
  CHECK(out.sid() == "MZ0123456789abcdef0123456789abcdef");
  CHECK(out.account_sid() == kAccount);
  CHECK(out.call_sid() == kLiveCall);
  CHECK(out.name() == "agent");
  CHECK(out.status() == pb::STREAM_STATUS_IN_PROGRESS);
  CHECK(out.date_updated().seconds() == 1438286400);

  pb::CreateStreamRequest plain;  // no Track: inbound_track, as in Twilio
  REQUIRE(f.Create(plain, &out).ok());
  CHECK(f.live.started.back().track == "inbound_track");
  CHECK(f.live.started.back().status_callback_method == cr::HttpMethod::kPost);
}

TEST_CASE("CallRouter: a stream on an ended call is refused with 21220, an unknown call is 20404") {
  StreamsFixture f;
  pb::CreateStreamRequest req;
  req.set_call_sid(kEndedCall);
  pb::Stream out;
  auto ended = f.Create(req, &out);
  CHECK(ended.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(dialtone::rpc::TwilioCodeOf(ended) == 21220);
  CHECK(dialtone::rpc::TwilioCodeOf(f.Stop(kEndedCall, "mine", &out)) == 21220);

  req.set_call_sid("CA000000000000000000000000000000ff");
  auto unknown = f.Create(req, &out);
  CHECK(unknown.error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(dialtone::rpc::TwilioCodeOf(unknown) == 20404);
  CHECK(f.Stop("CA000000000000000000000000000000ff", "mine", &out).error_code() ==
        grpc::StatusCode::NOT_FOUND);

  // Another account's call looks exactly like a missing one.
  pb::CreateStreamRequest theirs;
  theirs.set_account_sid(kOther);
  theirs.set_call_sid(kLiveCall);
  theirs.set_url("wss://app.example/stream");
  CHECK(f.db.grpc->CreateStream(&f.db.ctx, &theirs, &out).error_code() ==
        grpc::StatusCode::NOT_FOUND);
  CHECK(f.live.started.empty());
}

TEST_CASE("CallRouter: a stream's Url must be ws or wss, its Track one of Twilio's three") {
  StreamsFixture f;
  pb::Stream out;
  for (const char* url : {"https://app.example/stream", "wss://", "stream", "wss:///path"}) {
    pb::CreateStreamRequest req;
    req.set_url(url);
    auto s = f.Create(req, &out);
    CHECK(s.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(dialtone::rpc::TwilioCodeOf(s) == 21205);
  }
  pb::CreateStreamRequest track;
  track.set_track("inbound");
  auto bad_track = f.Create(track, &out);
  CHECK(bad_track.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(dialtone::rpc::TwilioCodeOf(bad_track) == 20001);
  pb::CreateStreamRequest callback;
  callback.set_status_callback("ftp://app.example/s");
  CHECK(dialtone::rpc::TwilioCodeOf(f.Create(callback, &out)) == 21205);
  pb::CreateStreamRequest nameless;
  nameless.add_parameters()->set_value("no name");
  CHECK(f.Create(nameless, &out).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(f.live.started.empty());

  pb::CreateStreamRequest upper;  // schemes are case-insensitive
  upper.set_url("WSS://app.example/stream");
  CHECK(f.Create(upper, &out).ok());
}

TEST_CASE("CallRouter: the live call's refusals carry Twilio codes") {
  StreamsFixture f;
  pb::Stream out;
  f.live.start_answer = absl::FailedPreconditionError("the call is not in progress");
  auto ringing = f.Create({}, &out);
  CHECK(ringing.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(dialtone::rpc::TwilioCodeOf(ringing) == 21220);
  f.live.start_answer = absl::InvalidArgumentError("a stream named agent is running");
  auto duplicate = f.Create({}, &out);
  CHECK(duplicate.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(dialtone::rpc::TwilioCodeOf(duplicate) == 20001);
  CHECK(duplicate.error_message() == "a stream named agent is running");
}

TEST_CASE("CallRouter: stopping a stream answers it stopped, and a stream the call lacks is 404") {
  StreamsFixture f;
  pb::Stream out;
  REQUIRE(f.Stop(kLiveCall, "mine", &out).ok());
  CHECK(out.status() == pb::STREAM_STATUS_STOPPED);
  CHECK(out.name() == "mine");
  auto missing = f.Stop(kLiveCall, "MZffffffffffffffffffffffffffffffff", &out);
  CHECK(missing.error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(dialtone::rpc::TwilioCodeOf(missing) == 20404);

  pb::UpdateStreamRequest not_stopped;
  not_stopped.set_account_sid(kAccount);
  not_stopped.set_call_sid(kLiveCall);
  not_stopped.set_sid("mine");
  not_stopped.set_status(pb::STREAM_STATUS_IN_PROGRESS);
  auto s = f.db.grpc->UpdateStream(&f.db.ctx, &not_stopped, &out);
  CHECK(s.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(dialtone::rpc::TwilioCodeOf(s) == 20001);

  // In progress in the table but live nowhere (no lease): over, as far as streams go.
  f.live.live_calls.clear();
  f.live.owners.clear();
  CHECK(dialtone::rpc::TwilioCodeOf(f.Stop(kLiveCall, "mine", &out)) == 21220);
  CHECK(dialtone::rpc::TwilioCodeOf(f.Create({}, &out)) == 21220);
}

TEST_CASE("CallRouter: a stream on a call another replica runs is started there, forwarded once") {
  StreamsFixture f;
  // The owner: a second handler on the same database, on a real gRPC port.
  FakeLive owner_live("router-b");
  CallRouterGrpc owner(*f.db.pool);
  owner.SetLiveCallControl(&owner_live);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&owner);
  auto server = builder.BuildAndStart();
  REQUIRE(server != nullptr);
  const std::string address = "127.0.0.1:" + std::to_string(port);

  f.live.live_calls.clear();
  f.live.owners[kLiveCall] = {"router-b", address};
  owner_live.live_calls.insert(kLiveCall);
  owner_live.owners[kLiveCall] = {"router-b", address};
  pb::CreateStreamRequest req;
  req.set_name("forwarded");
  req.add_parameters()->set_name("k");
  pb::Stream out;
  auto s = f.Create(req, &out);
  REQUIRE(s.ok());
  CHECK(f.live.started.empty());
  REQUIRE(owner_live.started.size() == 1);
  CHECK(owner_live.started[0].name == "forwarded");
  CHECK(owner_live.started[0].parameters.size() == 1);
  CHECK(out.name() == "forwarded");
  REQUIRE(f.Stop(kLiveCall, "mine", &out).ok());
  CHECK(out.status() == pb::STREAM_STATUS_STOPPED);

  // The owner lost the call but its lease still names router-a: the owner does not send the
  // request back (it came forwarded), it answers that the call is not in progress.
  owner_live.live_calls.clear();
  owner_live.owners[kLiveCall] = {"router-a", "127.0.0.1:1"};
  auto bounced = f.Create(req, &out);
  CHECK(bounced.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(dialtone::rpc::TwilioCodeOf(bounced) == 21220);
  server->Shutdown();
}

TEST_CASE("CallRouter: an application reads back as created, with defaults") {
  Db db;
  auto app = db.CreateApp(kAccount, "IVR");
  CHECK(app.sid().rfind("AP", 0) == 0);
  pb::GetApplicationRequest get;
  get.set_account_sid(kAccount);
  get.set_sid(app.sid());
  pb::Application got;
  REQUIRE(db.grpc->GetApplication(&db.ctx, &get, &got).ok());
  CHECK(got.friendly_name() == "IVR");
  CHECK(got.voice_url() == "https://app.example/voice");
  CHECK(got.voice_method() == pb::HTTP_METHOD_POST);
  CHECK(got.api_version() == "2010-04-01");
  CHECK(got.date_created().seconds() > 1700000000);
}

TEST_CASE("CallRouter: another account's application is not found (20404)") {
  Db db;
  auto app = db.CreateApp(kAccount, "Mine");
  pb::GetApplicationRequest get;
  get.set_account_sid(kOther);
  get.set_sid(app.sid());
  pb::Application got;
  auto s = db.grpc->GetApplication(&db.ctx, &get, &got);
  CHECK(s.error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(dialtone::rpc::TwilioCodeOf(s) == 20404);
  pb::DeleteApplicationRequest del;
  del.set_account_sid(kOther);
  del.set_sid(app.sid());
  pb::DeleteApplicationResponse none;
  CHECK(db.grpc->DeleteApplication(&db.ctx, &del, &none).error_code() ==
        grpc::StatusCode::NOT_FOUND);
}

TEST_CASE("CallRouter: a bad voice URL is refused with 21205") {
  Db db;
  pb::CreateApplicationRequest req;
  req.set_account_sid(kAccount);
  req.mutable_application()->set_voice_url("ftp://nope");
  pb::Application out;
  auto s = db.grpc->CreateApplication(&db.ctx, &req, &out);
  CHECK(s.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(dialtone::rpc::TwilioCodeOf(s) == 21205);
}

TEST_CASE("CallRouter: update changes only the fields named") {
  Db db;
  auto app = db.CreateApp(kAccount, "Before");
  pb::UpdateApplicationRequest up;
  up.set_account_sid(kAccount);
  up.set_sid(app.sid());
  up.mutable_application()->set_friendly_name("After");
  up.mutable_application()->set_voice_url("");  // not named: must stay
  up.add_update_fields("friendly_name");
  pb::Application out;
  REQUIRE(db.grpc->UpdateApplication(&db.ctx, &up, &out).ok());
  CHECK(out.friendly_name() == "After");
  CHECK(out.voice_url() == "https://app.example/voice");
  up.clear_update_fields();
  up.add_update_fields("voice_url");
  up.mutable_application()->set_voice_url("not a url");
  CHECK(dialtone::rpc::TwilioCodeOf(db.grpc->UpdateApplication(&db.ctx, &up, &out)) == 21205);
}

TEST_CASE("CallRouter: list pages stay stable while new rows arrive") {
  Db db;
  for (int i = 0; i < 3; ++i) db.CreateApp(kAccount, "app" + std::to_string(i));
  db.CreateApp(kOther, "not mine");
  pb::ListApplicationsRequest req;
  req.set_account_sid(kAccount);
  req.mutable_page()->set_page_size(2);
  pb::ListApplicationsResponse first;
  REQUIRE(db.grpc->ListApplications(&db.ctx, &req, &first).ok());
  REQUIRE(first.applications_size() == 2);
  REQUIRE_FALSE(first.page().next_page_token().empty());
  db.CreateApp(kAccount, "app3");  // arrives between the two pages
  req.mutable_page()->set_page_token(first.page().next_page_token());
  pb::ListApplicationsResponse second;
  REQUIRE(db.grpc->ListApplications(&db.ctx, &req, &second).ok());
  REQUIRE(second.applications_size() == 2);
  CHECK(second.applications(0).friendly_name() == "app2");
  CHECK(second.applications(1).friendly_name() == "app3");
  CHECK(second.page().next_page_token().empty());
  req.mutable_page()->set_page_token("garbage");
  CHECK(db.grpc->ListApplications(&db.ctx, &req, &second).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("CallRouter: phone numbers must be E.164 and unique, and bind only own applications") {
  Db db;
  auto app = db.CreateApp(kAccount, "IVR");
  auto theirs = db.CreateApp(kOther, "Theirs");
  pb::CreateIncomingPhoneNumberRequest req;
  req.set_account_sid(kAccount);
  req.mutable_number()->set_phone_number("5551234");
  pb::IncomingPhoneNumber out;
  auto bad = db.grpc->CreateIncomingPhoneNumber(&db.ctx, &req, &out);
  CHECK(dialtone::rpc::TwilioCodeOf(bad) == 21421);

  req.mutable_number()->set_phone_number("+15005550006");
  req.mutable_number()->set_voice_application_sid(theirs.sid());
  CHECK(db.grpc->CreateIncomingPhoneNumber(&db.ctx, &req, &out).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);

  req.mutable_number()->set_voice_application_sid(app.sid());
  REQUIRE(db.grpc->CreateIncomingPhoneNumber(&db.ctx, &req, &out).ok());
  CHECK(out.sid().rfind("PN", 0) == 0);
  CHECK(out.friendly_name() == "+15005550006");
  CHECK(out.voice_application_sid() == app.sid());

  pb::IncomingPhoneNumber again;
  auto dup = db.grpc->CreateIncomingPhoneNumber(&db.ctx, &req, &again);
  CHECK(dup.error_code() == grpc::StatusCode::ALREADY_EXISTS);
  CHECK(dialtone::rpc::TwilioCodeOf(dup) == 21422);

  pb::ListIncomingPhoneNumbersRequest list;
  list.set_account_sid(kAccount);
  list.set_phone_number("555000");
  pb::ListIncomingPhoneNumbersResponse found;
  REQUIRE(db.grpc->ListIncomingPhoneNumbers(&db.ctx, &list, &found).ok());
  CHECK(found.numbers_size() == 1);
  list.set_phone_number("999");
  pb::ListIncomingPhoneNumbersResponse none;
  REQUIRE(db.grpc->ListIncomingPhoneNumbers(&db.ctx, &list, &none).ok());
  CHECK(none.numbers_size() == 0);
}

TEST_CASE(
    "CallRouter: calls read back with Twilio's statuses, filter by status, and only "
    "finished calls can be deleted") {
  Db db;
  std::string done = "CA00000000000000000000000000000001";
  std::string live = "CA00000000000000000000000000000002";
  db.Sql(
      std::string("insert into calls (sid, account_sid, to_number, from_number, status, direction,"
                  " start_time, end_time, duration) values ('") +
      done + "', '" + kAccount +
      "', '+15005550001', '+15005550006', 'completed', 'inbound', now() - interval '1 minute',"
      " now(), 60)");
  db.Sql(
      std::string("insert into calls (sid, account_sid, to_number, from_number, status, direction)"
                  " values ('") +
      live + "', '" + kAccount +
      "', '+15005550002', '+15005550006', 'in-progress', 'outbound-api')");
  pb::GetCallRequest get;
  get.set_account_sid(kAccount);
  get.set_sid(done);
  pb::Call call;
  REQUIRE(db.grpc->GetCall(&db.ctx, &get, &call).ok());
  CHECK(call.to() == "+15005550001");
  CHECK(call.status() == pb::CALL_STATUS_COMPLETED);
  CHECK(call.direction() == pb::CALL_DIRECTION_INBOUND);
  CHECK(call.has_duration());
  CHECK(call.duration() == 60);
  CHECK_FALSE(call.has_price());

  pb::ListCallsRequest list;
  list.set_account_sid(kAccount);
  list.set_status(pb::CALL_STATUS_IN_PROGRESS);
  pb::ListCallsResponse calls;
  REQUIRE(db.grpc->ListCalls(&db.ctx, &list, &calls).ok());
  REQUIRE(calls.calls_size() == 1);
  CHECK(calls.calls(0).sid() == live);
  CHECK(calls.calls(0).direction() == pb::CALL_DIRECTION_OUTBOUND_API);
  CHECK_FALSE(calls.calls(0).has_duration());

  pb::DeleteCallRequest del;
  del.set_account_sid(kAccount);
  del.set_sid(live);
  pb::DeleteCallResponse none;
  CHECK(db.grpc->DeleteCall(&db.ctx, &del, &none).error_code() ==
        grpc::StatusCode::FAILED_PRECONDITION);
  del.set_sid(done);
  CHECK(db.grpc->DeleteCall(&db.ctx, &del, &none).ok());
  CHECK(db.grpc->GetCall(&db.ctx, &get, &call).error_code() == grpc::StatusCode::NOT_FOUND);
}

TEST_CASE("CallRouter: calls filter by start and end time ranges, inclusive") {
  Db db;
  auto add = [&](const std::string& sid, const std::string& start, const std::string& end) {
    db.Sql(std::string("insert into calls (sid, account_sid, to_number, from_number, status,"
                       " direction, start_time, end_time) values ('") +
           sid + "', '" + kAccount +
           "', '+15005550001', '+15005550006', 'completed', 'inbound', '" + start + "', '" + end +
           "')");
  };
  add("CA00000000000000000000000000000011", "2026-11-01 10:00:00+00", "2026-11-01 10:05:00+00");
  add("CA00000000000000000000000000000012", "2026-11-02 23:59:00+00", "2026-11-03 00:01:00+00");
  add("CA00000000000000000000000000000013", "2026-11-05 08:00:00+00", "2026-11-05 08:30:00+00");
  auto ts = [](const char* text) {
    absl::Time t;
    std::string err;
    REQUIRE(absl::ParseTime(absl::RFC3339_full, text, &t, &err));
    google::protobuf::Timestamp p;
    p.set_seconds(absl::ToUnixSeconds(t));
    return p;
  };
  auto sids = [&](pb::ListCallsRequest req) {
    req.set_account_sid(kAccount);
    pb::ListCallsResponse out;
    REQUIRE(db.grpc->ListCalls(&db.ctx, &req, &out).ok());
    std::set<std::string> got;
    for (const auto& c : out.calls()) got.insert(c.sid().substr(32));
    return got;
  };
  pb::ListCallsRequest on_2nd;  // StartTime=2026-11-02: the whole UTC day
  *on_2nd.mutable_start_time_after() = ts("2026-11-02T00:00:00Z");
  *on_2nd.mutable_start_time_before() = ts("2026-11-02T23:59:59Z");
  CHECK(sids(on_2nd) == std::set<std::string>{"12"});
  pb::ListCallsRequest from_2nd;  // StartTime>=2026-11-02
  *from_2nd.mutable_start_time_after() = ts("2026-11-02T00:00:00Z");
  CHECK(sids(from_2nd) == std::set<std::string>{"12", "13"});
  pb::ListCallsRequest ended_by_3rd;  // EndTime<=2026-11-03T00:01:00Z, inclusive
  *ended_by_3rd.mutable_end_time_before() = ts("2026-11-03T00:01:00Z");
  CHECK(sids(ended_by_3rd) == std::set<std::string>{"11", "12"});
  CHECK(sids(pb::ListCallsRequest()) == std::set<std::string>{"11", "12", "13"});
}

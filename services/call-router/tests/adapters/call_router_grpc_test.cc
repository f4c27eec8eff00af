// Applications, incoming phone numbers, calls and recordings through the CallRouter handler,
// against a real PostgreSQL with the service's own migrations.
#include <catch2/catch.hpp>

#include <pqxx/pqxx>
#include <set>

#include "absl/time/time.h"

#include "api/call_router_grpc.h"
#include "dialtone/pg/testing/scratch_database.h"
#include "dialtone/rpc/status.h"
#include "dialtone/testing/test_env.h"

using dialtone::call_router::CallRouterGrpc;
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

}  // namespace

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

// Trigger CRUD over gRPC against the real PostgreSQL and usage-metering: Twilio's fields and
// rules, "+N" values, and validation errors carrying Twilio's codes.
#include <catch2/catch.hpp>

#include <tuple>

#include "triggers_test_support.h"

using namespace dialtone::triggers;
using namespace dialtone::triggers::test;
using dialtone::core::NewSid;

namespace {

struct CrudHarness {
  std::string pg_url = ScratchDatabase();
  int triggers_port = dt::FreePort();
  Metering metering{pg_url, "127.0.0.1:" + std::to_string(triggers_port)};
  TestClock clock;
  InProcessTriggers triggers{TestConfig(pg_url, metering.addr()), clock.AsClock(), triggers_port};
};

CrudHarness& Harness() {
  static CrudHarness h;
  return h;
}

}  // namespace

TEST_CASE("A trigger is created, read, listed, updated and deleted with Twilio's fields") {
  auto& h = Harness();
  auto& stub = *h.triggers.stub;
  std::string account = NewSid("AC");
  tpb::UsageTrigger a = MustCreate(stub, account, "calls", "12.5", "https://app.example/cb",
                                   tpb::RECURRING_MONTHLY, tpb::TRIGGER_BY_USAGE);
  CHECK(dialtone::core::IsSid(a.sid(), "UT"));
  CHECK(a.account_sid() == account);
  CHECK(a.trigger_value() == "12.5");
  CHECK(a.current_value() == "0");
  CHECK(a.recurring() == tpb::RECURRING_MONTHLY);
  CHECK(a.callback_method() == tpb::CALLBACK_METHOD_POST);
  CHECK(a.usage_record_uri() ==
        "/2010-04-01/Accounts/" + account + "/Usage/Records?Category=calls");
  CHECK_FALSE(a.has_date_fired());
  tpb::UsageTrigger b = MustCreate(stub, account, "tts", "100", "https://app.example/cb2");

  {
    grpc::ClientContext ctx;
    tpb::GetTriggerRequest req;
    req.set_account_sid(account);
    req.set_sid(a.sid());
    tpb::UsageTrigger got;
    REQUIRE(stub.GetTrigger(&ctx, req, &got).ok());
    CHECK(got.trigger_value() == "12.5");
    CHECK(got.friendly_name() == "test trigger");
    CHECK(got.date_created().seconds() == a.date_created().seconds());
  }
  {  // pages of one, oldest first (ties on date_created, e.g. under a test clock, by SID)
    auto key = [](const tpb::UsageTrigger& t) {
      return std::make_tuple(t.date_created().seconds(), t.date_created().nanos(), t.sid());
    };
    const tpb::UsageTrigger& older = key(a) < key(b) ? a : b;
    const tpb::UsageTrigger& newer = key(a) < key(b) ? b : a;
    grpc::ClientContext ctx;
    tpb::ListTriggersRequest req;
    req.set_account_sid(account);
    req.set_page_size(1);
    tpb::ListTriggersResponse page1;
    REQUIRE(stub.ListTriggers(&ctx, req, &page1).ok());
    REQUIRE(page1.triggers_size() == 1);
    CHECK(page1.triggers(0).sid() == older.sid());
    grpc::ClientContext ctx2;
    req.set_page_token(page1.next_page_token());
    tpb::ListTriggersResponse page2;
    REQUIRE(stub.ListTriggers(&ctx2, req, &page2).ok());
    REQUIRE(page2.triggers_size() == 1);
    CHECK(page2.triggers(0).sid() == newer.sid());
    CHECK(page2.next_page_token().empty());
    grpc::ClientContext ctx3;
    tpb::ListTriggersRequest filtered;
    filtered.set_account_sid(account);
    filtered.set_usage_category("tts");
    tpb::ListTriggersResponse only_tts;
    REQUIRE(stub.ListTriggers(&ctx3, filtered, &only_tts).ok());
    REQUIRE(only_tts.triggers_size() == 1);
    CHECK(only_tts.triggers(0).sid() == b.sid());
  }
  {  // only callback URL, method and friendly name change
    grpc::ClientContext ctx;
    tpb::UpdateTriggerRequest req;
    req.set_account_sid(account);
    req.set_sid(a.sid());
    req.set_friendly_name("renamed");
    req.set_callback_url("https://app.example/new");
    req.set_callback_method(tpb::CALLBACK_METHOD_GET);
    tpb::UsageTrigger updated;
    REQUIRE(stub.UpdateTrigger(&ctx, req, &updated).ok());
    CHECK(updated.friendly_name() == "renamed");
    CHECK(updated.callback_url() == "https://app.example/new");
    CHECK(updated.callback_method() == tpb::CALLBACK_METHOD_GET);
    CHECK(updated.trigger_value() == "12.5");
    CHECK(updated.usage_category() == "calls");
  }
  {
    grpc::ClientContext ctx;
    tpb::DeleteTriggerRequest req;
    req.set_account_sid(account);
    req.set_sid(a.sid());
    tpb::DeleteTriggerResponse resp;
    REQUIRE(stub.DeleteTrigger(&ctx, req, &resp).ok());
    grpc::ClientContext ctx2;
    tpb::GetTriggerRequest get;
    get.set_account_sid(account);
    get.set_sid(a.sid());
    tpb::UsageTrigger gone;
    grpc::Status s = stub.GetTrigger(&ctx2, get, &gone);
    CHECK(s.error_code() == grpc::StatusCode::NOT_FOUND);
    CHECK(dialtone::rpc::TwilioCodeOf(s) == 20404);
  }
  {  // another account cannot see b
    grpc::ClientContext ctx;
    tpb::GetTriggerRequest req;
    req.set_account_sid(NewSid("AC"));
    req.set_sid(b.sid());
    tpb::UsageTrigger got;
    CHECK(stub.GetTrigger(&ctx, req, &got).error_code() == grpc::StatusCode::NOT_FOUND);
  }
}

TEST_CASE("Validation errors are INVALID_ARGUMENT with Twilio's code in the message") {
  auto& h = Harness();
  auto& stub = *h.triggers.stub;
  tpb::CreateTriggerRequest base;
  base.set_account_sid(NewSid("AC"));
  base.set_usage_category("calls");
  base.set_trigger_value("10");
  base.set_callback_url("https://app.example/cb");
  struct Case {
    const char* what;
    std::function<void(tpb::CreateTriggerRequest&)> change;
    int code;
  };
  std::vector<Case> cases = {
      {"no CallbackUrl", [](auto& r) { r.clear_callback_url(); }, 21201},
      {"no TriggerValue", [](auto& r) { r.clear_trigger_value(); }, 21201},
      {"no UsageCategory", [](auto& r) { r.clear_usage_category(); }, 21201},
      {"bad CallbackUrl", [](auto& r) { r.set_callback_url("ftp://x"); }, 21205},
      {"bad TriggerValue", [](auto& r) { r.set_trigger_value("ten"); }, 20001},
      {"unknown category", [](auto& r) { r.set_usage_category("no-such-thing"); }, 20001},
      {"long FriendlyName", [](auto& r) { r.set_friendly_name(std::string(65, 'x')); }, 21202},
      {"bad AccountSid", [](auto& r) { r.set_account_sid("AC123"); }, 20001},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    tpb::CreateTriggerRequest req = base;
    c.change(req);
    tpb::UsageTrigger out;
    grpc::Status s = Create(stub, req, &out);
    CHECK(s.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(dialtone::rpc::TwilioCodeOf(s) == c.code);
    CHECK_THAT(s.error_message(), Catch::Contains(std::to_string(c.code)));
  }
}

TEST_CASE("A +N trigger value is N above the counter at creation") {
  auto& h = Harness();
  std::string account = NewSid("AC");
  h.clock.Set(absl::Now());
  h.metering.PublishN(account, "calls-inbound", 7, absl::Now(), "2");
  tpb::UsageTrigger by_count = MustCreate(*h.triggers.stub, account, "calls", "+3",
                                          "https://app.example/cb", tpb::RECURRING_DAILY);
  CHECK(by_count.trigger_value() == "10");
  CHECK(by_count.current_value() == "7");
  tpb::UsageTrigger by_usage =
      MustCreate(*h.triggers.stub, account, "calls-inbound", "+0.5", "https://app.example/cb",
                 tpb::RECURRING_UNSPECIFIED, tpb::TRIGGER_BY_USAGE);
  CHECK(by_usage.trigger_value() == "14.5");
  CHECK(by_usage.current_value() == "14");
}

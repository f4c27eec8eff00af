// Evaluation, claim and delivery with the real PostgreSQL, Redis, usage-metering (pushing its
// counters to the triggers core running in this process with an injected clock) and a local
// callback server.
#include <catch2/catch.hpp>

#include "adapters/callback_sender.h"
#include "dialtone/http/fetch_policy.h"
#include "dialtone/webhook/signature.h"
#include "triggers_test_support.h"

using namespace dialtone::triggers;
using namespace dialtone::triggers::test;
using dialtone::core::NewSid;

namespace {

struct FiringHarness {
  CallbackServer app;
  std::string pg_url = ScratchDatabase();
  int triggers_port = dt::FreePort();
  Metering metering{pg_url, "127.0.0.1:" + std::to_string(triggers_port)};
  TestClock clock;
  InProcessTriggers triggers{TestConfig(pg_url, metering.addr()), clock.AsClock(), triggers_port};
  dialtone::pg::PgPool pg{{.url = pg_url}};
};

FiringHarness& Harness() {
  static FiringHarness h;
  return h;
}

std::vector<boost::json::object> CallbacksOf(const FiringHarness& h, const std::string& sid) {
  std::vector<boost::json::object> out;
  for (auto& r : h.app.RequestsTo("/callback")) {
    if (Param(FormOf(r), "UsageTriggerSid") == sid) out.push_back(r);
  }
  return out;
}

}  // namespace

TEST_CASE("Crossing the value fires exactly one callback with correct, signed parameters") {
  auto& h = Harness();
  h.clock.Set(absl::Now());
  std::string account = NewSid("AC");
  std::string url = h.app.Url("/callback");
  tpb::UsageTrigger t = MustCreate(*h.triggers.stub, account, "calls", "4", url);
  h.metering.PublishN(account, "calls-inbound", 3, absl::Now());
  absl::SleepFor(absl::Milliseconds(400));
  CHECK(CallbacksOf(h, t.sid()).empty());  // 3 < 4

  h.metering.PublishN(account, "calls-outbound", 2, absl::Now());  // rolls up into calls: 5
  REQUIRE(WaitFor([&] { return !CallbacksOf(h, t.sid()).empty(); }, absl::Seconds(5)));
  h.metering.PublishN(account, "calls-inbound", 3, absl::Now());
  absl::SleepFor(absl::Milliseconds(400));
  auto callbacks = CallbacksOf(h, t.sid());
  REQUIRE(callbacks.size() == 1);

  const auto& req = callbacks[0];
  CHECK(req.at("method").as_string() == "POST");
  dialtone::webhook::Params p = FormOf(req);
  CHECK(Param(p, "AccountSid") == account);
  CHECK(Param(p, "UsageTriggerSid") == t.sid());
  CHECK(Param(p, "Recurring") == "");
  CHECK(Param(p, "UsageCategory") == "calls");
  CHECK(Param(p, "TriggerBy") == "count");
  CHECK(Param(p, "TriggerValue") == "4");
  CHECK(Param(p, "CurrentValue") == "5");
  CHECK(Param(p, "UsageRecordUri") ==
        "/2010-04-01/Accounts/" + account + "/Usage/Records?Category=calls");
  CHECK(Param(p, "IdempotencyToken") == account + "-FIRES-" + t.sid() + "-once");
  auto fired = dialtone::core::ParseRfc2822(Param(p, "DateFired"));
  REQUIRE(fired.ok());
  CHECK(absl::AbsDuration(*fired - absl::Now()) < absl::Seconds(30));
  std::string signature(req.at("headers").as_object().at("x-twilio-signature").as_string());
  CHECK(dialtone::webhook::ValidateTwilioSignature(kToken, url, p, signature));
  CHECK_FALSE(dialtone::webhook::ValidateTwilioSignature("wrong-token-wrong-token-wrong-tok", url,
                                                         p, signature));

  // The resource shows the firing.
  grpc::ClientContext ctx;
  tpb::GetTriggerRequest get;
  get.set_account_sid(account);
  get.set_sid(t.sid());
  tpb::UsageTrigger now;
  REQUIRE(h.triggers.stub->GetTrigger(&ctx, get, &now).ok());
  CHECK(now.has_date_fired());
  CHECK(now.current_value() == "5");
  CHECK(SqlInt(h.pg, "select count(*) from usage_trigger_attempts where trigger_sid = '" + t.sid() +
                         "'") == 1);
}

TEST_CASE("A +N trigger fires N above the value at creation") {
  auto& h = Harness();
  h.clock.Set(absl::Now());
  std::string account = NewSid("AC");
  h.metering.PublishN(account, "tts", 5, absl::Now(), "10");
  tpb::UsageTrigger t = MustCreate(*h.triggers.stub, account, "tts", "+25", h.app.Url("/callback"),
                                   tpb::RECURRING_UNSPECIFIED, tpb::TRIGGER_BY_USAGE);
  CHECK(t.trigger_value() == "75");
  h.metering.PublishN(account, "tts", 2, absl::Now(), "10");  // 70
  absl::SleepFor(absl::Milliseconds(400));
  CHECK(CallbacksOf(h, t.sid()).empty());
  h.metering.PublishN(account, "tts", 1, absl::Now(), "10");  // 80
  REQUIRE(WaitFor([&] { return !CallbacksOf(h, t.sid()).empty(); }, absl::Seconds(5)));
  CHECK(Param(FormOf(CallbacksOf(h, t.sid())[0]), "CurrentValue") == "80");
}

TEST_CASE("A daily trigger fires again the next day and not twice the same day") {
  auto& h = Harness();
  std::string account = NewSid("AC");
  absl::Time day1 = At("2026-03-10T09:00:00Z");
  absl::Time day2 = At("2026-03-11T00:30:00Z");
  h.clock.Set(day1);
  tpb::UsageTrigger t = MustCreate(*h.triggers.stub, account, "api-requests", "2",
                                   h.app.Url("/callback"), tpb::RECURRING_DAILY);
  h.metering.PublishN(account, "api-requests", 3, day1);
  REQUIRE(WaitFor([&] { return CallbacksOf(h, t.sid()).size() == 1; }, absl::Seconds(5)));
  h.metering.PublishN(account, "api-requests", 5, day1 + absl::Hours(10));
  CHECK(h.triggers.core->evaluator().Sweep().ok());  // the sweep agrees: same day, no refire
  absl::SleepFor(absl::Milliseconds(400));
  CHECK(CallbacksOf(h, t.sid()).size() == 1);

  h.clock.Set(day2);
  h.metering.PublishN(account, "api-requests", 1, day2);
  absl::SleepFor(absl::Milliseconds(300));
  CHECK(CallbacksOf(h, t.sid()).size() == 1);  // 1 < 2 on the new day
  h.metering.PublishN(account, "api-requests", 1, day2);
  REQUIRE(WaitFor([&] { return CallbacksOf(h, t.sid()).size() == 2; }, absl::Seconds(5)));
  absl::SleepFor(absl::Milliseconds(300));
  auto callbacks = CallbacksOf(h, t.sid());
  REQUIRE(callbacks.size() == 2);
  auto first = FormOf(callbacks[0]);
  auto second = FormOf(callbacks[1]);
  CHECK(Param(first, "DateFired") == "Tue, 10 Mar 2026 09:00:00 +0000");
  CHECK(Param(second, "DateFired") == "Wed, 11 Mar 2026 00:30:00 +0000");
  CHECK(Param(first, "CurrentValue") == "3");  // the push of the first batch
  CHECK(Param(second, "CurrentValue") == "2");
  CHECK(Param(second, "Recurring") == "daily");
  CHECK(Param(first, "IdempotencyToken") != Param(second, "IdempotencyToken"));
  CHECK(Param(second, "IdempotencyToken") == account + "-FIRES-" + t.sid() + "-daily:2026-03-11");
}

TEST_CASE("A callback server down for a while gets the callback once it returns, one token") {
  auto& h = Harness();
  h.clock.Set(absl::Now());
  std::string account = NewSid("AC");
  int port = dt::FreePort();
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/callback";
  tpb::UsageTrigger t = MustCreate(*h.triggers.stub, account, "recordings", "1", url);
  h.metering.PublishN(account, "recordings", 1, absl::Now());
  std::string where = "where trigger_sid = '" + t.sid() + "'";
  REQUIRE(WaitFor(
      [&] { return SqlInt(h.pg, "select count(*) from usage_trigger_attempts " + where) >= 3; },
      absl::Seconds(10)));
  CHECK(SqlInt(h.pg, "select count(*) from usage_trigger_firings " + where +
                         " and delivered_at is null") == 1);
  CHECK(SqlInt(h.pg, "select count(*) from usage_trigger_attempts " + where +
                         " and http_status is null and error is not null") >= 3);

  CallbackServer back(port);  // the server returns
  REQUIRE(WaitFor([&] { return !back.RequestsTo("/callback").empty(); }, absl::Seconds(10)));
  REQUIRE(WaitFor([&] {
    return SqlInt(h.pg, "select count(*) from usage_trigger_firings " + where +
                            " and delivered_at is not null") == 1;
  }));
  absl::SleepFor(absl::Milliseconds(600));
  auto got = back.RequestsTo("/callback");
  REQUIRE(got.size() == 1);
  auto p = FormOf(got[0]);
  CHECK(Param(p, "UsageTriggerSid") == t.sid());
  CHECK(Param(p, "IdempotencyToken") == account + "-FIRES-" + t.sid() + "-once");
  std::string signature(got[0].at("headers").as_object().at("x-twilio-signature").as_string());
  CHECK(dialtone::webhook::ValidateTwilioSignature(kToken, url, p, signature));
  int64_t attempts = SqlInt(h.pg, "select count(*) from usage_trigger_attempts " + where);
  CHECK(attempts >= 4);
  CHECK(SqlInt(h.pg, "select attempts from usage_trigger_firings " + where) == attempts);
  CHECK(SqlInt(h.pg, "select count(*) from usage_trigger_attempts " + where +
                         " and http_status = 204") == 1);
}

TEST_CASE("Without pushes the periodic sweep reads the counters from metering and fires") {
  CallbackServer app;
  std::string pg_url = ScratchDatabase();
  Metering metering(pg_url, "");  // pushes off: only the sweep can see the counters
  TestClock clock;
  Config config = TestConfig(pg_url, metering.addr());
  config.sweep_interval = absl::Milliseconds(200);
  InProcessTriggers triggers(config, clock.AsClock());
  std::string account = NewSid("AC");
  tpb::UsageTrigger t =
      MustCreate(*triggers.stub, account, "calls-inbound", "1.5", app.Url("/callback"),
                 tpb::RECURRING_MONTHLY, tpb::TRIGGER_BY_USAGE);
  metering.PublishN(account, "calls-inbound", 2, absl::Now());
  REQUIRE(WaitFor([&] { return app.RequestsTo("/callback").size() == 1; }, absl::Seconds(5)));
  absl::SleepFor(absl::Milliseconds(500));
  auto got = app.RequestsTo("/callback");
  REQUIRE(got.size() == 1);
  CHECK(Param(FormOf(got[0]), "CurrentValue") == "2");
  CHECK(Param(FormOf(got[0]), "Recurring") == "monthly");
}

TEST_CASE("Under a policy without allowances a loopback callback URL gets no request") {
  CallbackServer app;
  auto refuse = dialtone::http::FetchPolicy::Parse("");
  REQUIRE(refuse.ok());
  auto sender = MakeHttpCallbackSender(
      {.policy = std::make_shared<const dialtone::http::FetchPolicy>(*refuse)});
  const std::string url = app.Url("/callback");
  AttemptResult refused = sender->Send(url, CallbackMethod::kPost, {{"A", "1"}}, "token");
  CHECK_FALSE(refused.delivered());
  CHECK(refused.http_status == 0);
  CHECK(refused.error.find("fetch policy") != std::string::npos);
  CHECK(app.RequestsTo("/callback").empty());

  auto allow = dialtone::http::FetchPolicy::Parse("127.0.0.0/8");
  REQUIRE(allow.ok());
  auto allowed = MakeHttpCallbackSender(
      {.policy = std::make_shared<const dialtone::http::FetchPolicy>(*allow)});
  CHECK(allowed->Send(url, CallbackMethod::kPost, {{"A", "1"}}, "token").delivered());
  CHECK(app.RequestsTo("/callback").size() == 1);
}

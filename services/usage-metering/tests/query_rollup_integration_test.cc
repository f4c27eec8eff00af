// Roll-ups into usage_daily and usage queries spanning Redis and PostgreSQL, on the real stores.
#include <catch2/catch.hpp>

#include "adapters/roll_up_job.h"
#include "usage_test_support.h"

using namespace dialtone::usage_metering;
using namespace dialtone::usage_metering::test;
using dialtone::core::NewSid;

namespace {

std::vector<std::string> DailyRows(dialtone::pg::PgPool& pg, const std::string& account) {
  std::vector<std::string> out;
  absl::Status s = pg.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    for (const auto& r : tx.exec_params(
             "select category || ' ' || day || ' ' || count || ' ' || usage || ' ' || price || "
             "' ' || updated_at from usage_daily where account_sid = $1 order by day, category",
             account)) {
      out.push_back(r[0].as<std::string>());
    }
    return absl::OkStatus();
  });
  if (!s.ok()) throw std::runtime_error(s.ToString());
  return out;
}

void InsertDaily(dialtone::pg::PgPool& pg, const std::string& account, const std::string& category,
                 const std::string& day, int64_t count, const std::string& usage,
                 const std::string& price) {
  absl::Status s = pg.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_params(
        "insert into usage_daily (account_sid, category, day, count, usage, price) "
        "values ($1, $2, $3::date, $4, $5::numeric, $6::numeric)",
        account, category, day, count, usage, price);
    tx.commit();
    return absl::OkStatus();
  });
  if (!s.ok()) throw std::runtime_error(s.ToString());
}

pb::QueryUsageResponse Query(Harness& h, const std::string& account, const std::string& category,
                             pb::Granularity g, const std::string& start, const std::string& end,
                             pb::RelativePeriod rel = pb::RELATIVE_PERIOD_UNSPECIFIED) {
  pb::QueryUsageRequest req;
  req.set_account_sid(account);
  req.set_category(category);
  req.set_granularity(g);
  req.set_start_date(start);
  req.set_end_date(end);
  req.set_relative(rel);
  pb::QueryUsageResponse resp;
  grpc::Status s = h.grpc.QueryUsage(nullptr, &req, &resp);
  if (!s.ok()) throw std::runtime_error("QueryUsage: " + s.error_message());
  return resp;
}

std::string Line(const pb::UsageRecord& r) {
  return r.category() + " " + r.start_date() + ".." + r.end_date() + " " + r.count() + "/" +
         r.usage() + "/" + r.price();
}

}  // namespace

TEST_CASE("Roll-ups run twice give the same rows, and later increments are rolled up") {
  Harness h(ScratchDatabase());
  RollUpJob job(h.store, h.daily, absl::Seconds(60));
  std::string a = NewSid("AC");
  h.Publish({Event("r1", a, "calls-inbound", At("2026-11-24T23:59:59Z"), 1, "2", "0.01"),
             Event("r2", a, "calls-inbound", At("2026-11-25T00:00:00Z"), 1, "3"),
             Event("r3", a, "tts", At("2026-11-25T08:00:00Z"), 1, "100.25")});
  REQUIRE(job.RunOnce().ok());
  auto first = DailyRows(h.pg, a);
  CHECK(first.size() == 6);  // calls-inbound, calls x 2 days, totalprice on the 24th, tts
  REQUIRE(job.RunOnce().ok());
  CHECK(DailyRows(h.pg, a) == first);  // updated_at included: nothing rewritten
  CHECK(h.store.DirtyMembers(a)->empty());
  // Clearing the marks by hand and re-marking all of them must not change anything either.
  REQUIRE(
      h.redis
          ->Command({"SADD", DirtyKey(a), "calls|2026-11-24", "calls|2026-11-25", "tts|2026-11-25"})
          .ok());
  REQUIRE(job.RunOnce().ok());
  CHECK(DailyRows(h.pg, a) == first);

  h.Publish({Event("r4", a, "calls-inbound", At("2026-11-25T09:00:00Z"), 1, "1.5")});
  REQUIRE(job.RunOnce().ok());
  auto rows =
      h.daily.Query(a, "calls", {absl::CivilDay(2026, 11, 25), absl::CivilDay(2026, 11, 25)});
  REQUIRE(rows->size() == 1);
  CHECK((*rows)[0].totals == Totals{2, 4'500'000, 0});
}

TEST_CASE("A query spanning Redis and PostgreSQL periods is exact") {
  // Now is 2026-11-25; with 90 days of daily retention, days before 2026-08-28 come from PG.
  Harness h(ScratchDatabase(), At("2026-11-25T12:00:00Z"));
  std::string a = NewSid("AC");
  // Old days, as roll-ups left them after Redis expired them.
  InsertDaily(h.pg, a, "calls", "2026-08-20", 3, "10.5", "0.1");
  InsertDaily(h.pg, a, "calls", "2026-08-27", 1, "0.000001", "0");
  // Recent days in Redis (the monthly and yearly counters hold them too).
  h.Publish({Event("n1", a, "calls", At("2026-08-28T00:00:00Z"), 2, "4"),
             Event("n2", a, "calls", At("2026-09-15T10:00:00Z"), 5, "7.25", "0.2"),
             Event("n3", a, "calls", At("2026-11-25T11:00:00Z"), 1, "1")});

  auto daily = Query(h, a, "calls", pb::GRANULARITY_DAILY, "2026-08-26", "2026-08-28");
  REQUIRE(daily.records_size() == 3);
  CHECK(Line(daily.records(0)) == "calls 2026-08-26..2026-08-26 0/0/0");
  CHECK(Line(daily.records(1)) == "calls 2026-08-27..2026-08-27 1/0.000001/0");
  CHECK(Line(daily.records(2)) == "calls 2026-08-28..2026-08-28 2/4/0");

  auto total = Query(h, a, "calls", pb::GRANULARITY_ALL_TIME, "2026-08-01", "2026-11-30");
  REQUIRE(total.records_size() == 1);
  CHECK(Line(total.records(0)) == "calls 2026-08-01..2026-11-30 12/22.750001/0.3");
  CHECK(total.records(0).usage_unit() == "minutes");
  CHECK(total.records(0).description() == "Voice Minutes");

  auto monthly = Query(h, a, "calls", pb::GRANULARITY_MONTHLY, "2026-08-15", "2026-11-25");
  REQUIRE(monthly.records_size() == 4);
  CHECK(Line(monthly.records(0)) == "calls 2026-08-15..2026-08-31 6/14.500001/0.1");
  CHECK(Line(monthly.records(1)) == "calls 2026-09-01..2026-09-30 5/7.25/0.2");
  CHECK(Line(monthly.records(2)) == "calls 2026-10-01..2026-10-31 0/0/0");
  CHECK(Line(monthly.records(3)) == "calls 2026-11-01..2026-11-25 1/1/0");

  // Every category with usage when none is named: calls and totalprice here.
  auto all = Query(h, a, "", pb::GRANULARITY_ALL_TIME, "2026-08-01", "2026-11-30");
  REQUIRE(all.records_size() == 2);
  CHECK(Line(all.records(1)) == "totalprice 2026-08-01..2026-11-30 0/0.2/0.2");
}

TEST_CASE("Relative periods pick their days from the injected clock") {
  Harness h(ScratchDatabase(), At("2026-12-01T09:00:00Z"));
  std::string a = NewSid("AC");
  h.Publish({Event("t", a, "tts", At("2026-12-01T08:00:00Z"), 1, "10"),
             Event("y", a, "tts", At("2026-11-30T23:00:00Z"), 1, "20"),
             Event("m", a, "tts", At("2026-11-02T23:00:00Z"), 1, "40")});
  auto today = Query(h, a, "tts", pb::GRANULARITY_ALL_TIME, "", "", pb::RELATIVE_PERIOD_TODAY);
  CHECK(Line(today.records(0)) == "tts 2026-12-01..2026-12-01 1/10/0");
  auto yesterday =
      Query(h, a, "tts", pb::GRANULARITY_ALL_TIME, "", "", pb::RELATIVE_PERIOD_YESTERDAY);
  CHECK(Line(yesterday.records(0)) == "tts 2026-11-30..2026-11-30 1/20/0");
  auto last = Query(h, a, "tts", pb::GRANULARITY_MONTHLY, "", "", pb::RELATIVE_PERIOD_LAST_MONTH);
  REQUIRE(last.records_size() == 1);
  CHECK(Line(last.records(0)) == "tts 2026-11-01..2026-11-30 2/60/0");
  auto alltime = Query(h, a, "tts", pb::GRANULARITY_ALL_TIME, "", "");
  CHECK(alltime.records(0).count() == "3");
}

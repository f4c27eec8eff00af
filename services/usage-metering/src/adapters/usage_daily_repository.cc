// UsageDailyRepository: SQL for usage_daily (libpqxx 6.4).
#include "adapters/usage_daily_repository.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "dialtone/usage/micros.h"

namespace dialtone::usage_metering {

absl::Status UsageDailyRepository::Upsert(const std::vector<DailyRow>& rows) {
  if (rows.empty()) return absl::OkStatus();
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    for (const DailyRow& r : rows) {
      // Rows whose values did not change are left alone (updated_at too).
      tx.exec_params(
          "insert into usage_daily (account_sid, category, day, count, usage, price, updated_at) "
          "values ($1, $2, $3::date, $4, $5::numeric, $6::numeric, now()) "
          "on conflict (account_sid, category, day) do update set count = excluded.count, "
          "usage = excluded.usage, price = excluded.price, updated_at = now() "
          "where (usage_daily.count, usage_daily.usage, usage_daily.price) is distinct from "
          "(excluded.count, excluded.usage, excluded.price)",
          r.account_sid, r.category, usage::FormatDay(r.day), r.totals.count,
          usage::FormatMicros(r.totals.usage), usage::FormatMicros(r.totals.price));
    }
    tx.commit();
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<DailyRow>> UsageDailyRepository::Query(const std::string& account,
                                                                  const std::string& category,
                                                                  usage::DayRange range) {
  std::vector<DailyRow> out;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params(
        "select category, to_char(day, 'YYYY-MM-DD'), count, usage::text, price::text "
        "from usage_daily where account_sid = $1 and ($2 = '' or category = $2) "
        "and day between $3::date and $4::date order by day, category",
        account, category, usage::FormatDay(range.start), usage::FormatDay(range.end));
    for (const auto& row : rows) {
      DailyRow r{account, row[0].as<std::string>(), {}, {}};
      auto day = usage::ParseDay(row[1].as<std::string>());
      auto usage = usage::ParseMicros(row[3].as<std::string>());
      auto price = usage::ParseMicros(row[4].as<std::string>());
      if (!day.ok() || !usage.ok() || !price.ok()) {
        return absl::DataLossError(absl::StrCat("usage_daily row of ", account, " is malformed"));
      }
      r.day = *day;
      r.totals = {row[2].as<int64_t>(), *usage, *price};
      out.push_back(std::move(r));
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace dialtone::usage_metering

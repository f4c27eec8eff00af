// UsageQuery: plans Redis reads and a PostgreSQL read, then sums per bucket and category.
#include "adapters/usage_query.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "domain/category_catalog.h"

namespace dialtone::usage_metering {
namespace {

// Default windows when a query names no dates, after Twilio's list defaults.
usage::DayRange DefaultRange(usage::PeriodKind kind, absl::CivilDay today) {
  switch (kind) {
    case usage::PeriodKind::kDaily: return {today - 30, today};
    case usage::PeriodKind::kMonthly: return {absl::CivilDay(absl::CivilMonth(today) - 11), today};
    case usage::PeriodKind::kYearly: return {absl::CivilDay(absl::CivilYear(today) - 4), today};
    case usage::PeriodKind::kAllTime: return {today, today};
  }
  return {today, today};
}

constexpr int kMaxRangeDays = 366 * 20;

}  // namespace

absl::StatusOr<std::vector<UsageRecordFields>> UsageQuery::Run(const UsageQuerySpec& spec) {
  absl::Time now = clock_();
  absl::CivilDay today = usage::UtcDay(now);
  std::vector<const CategoryInfo*> categories;
  if (spec.category.empty()) {
    for (const CategoryInfo& c : AllCategories()) categories.push_back(&c);
  } else if (const CategoryInfo* c = FindCategory(spec.category)) {
    categories.push_back(c);
  } else {
    return absl::InvalidArgumentError(absl::StrCat("unknown category \"", spec.category, "\""));
  }

  // Each output row: a bucket and a category, summed from some Redis refs and some PG days.
  struct Row {
    const CategoryInfo* category;
    std::string start, end;
    std::vector<size_t> refs;             // into `refs`
    std::vector<absl::CivilDay> pg_days;  // from usage_daily
  };
  std::vector<Row> rows;
  std::vector<CounterRef> refs;
  std::optional<usage::DayRange> pg_range;

  if (spec.granularity == usage::PeriodKind::kAllTime && !spec.range) {
    for (const CategoryInfo* c : categories) {
      refs.push_back({c->name, "alltime"});
      rows.push_back({c, "", usage::FormatDay(today), {refs.size() - 1}, {}});
    }
  } else {
    usage::DayRange range = spec.range.value_or(DefaultRange(spec.granularity, today));
    if (range.end < range.start) {
      return absl::InvalidArgumentError("start_date is after end_date");
    }
    if (range.end - range.start > kMaxRangeDays) {
      return absl::InvalidArgumentError("the date range is longer than 20 years");
    }
    std::vector<usage::Bucket> buckets;
    if (spec.granularity == usage::PeriodKind::kAllTime) {
      buckets.push_back({"alltime", range, false});
    } else {
      buckets = usage::BucketsFor(spec.granularity, range);
    }
    absl::CivilDay cutoff = RedisCutoff(now);
    for (const usage::Bucket& b : buckets) {
      for (const CategoryInfo* c : categories) {
        Row row{c, usage::FormatDay(b.days.start), usage::FormatDay(b.days.end), {}, {}};
        bool counter_of_its_own =
            b.whole && spec.granularity != usage::PeriodKind::kAllTime &&
            (spec.granularity != usage::PeriodKind::kDaily || b.days.start >= cutoff);
        if (counter_of_its_own && spec.granularity != usage::PeriodKind::kDaily) {
          refs.push_back({c->name, b.period});
          row.refs.push_back(refs.size() - 1);
        } else {
          for (absl::CivilDay d = b.days.start; d <= b.days.end; ++d) {
            if (d >= cutoff) {
              refs.push_back({c->name, usage::PeriodKey(usage::PeriodKind::kDaily, d)});
              row.refs.push_back(refs.size() - 1);
            } else {
              row.pg_days.push_back(d);
              if (!pg_range) pg_range = usage::DayRange{d, d};
              pg_range->start = std::min(pg_range->start, d);
              pg_range->end = std::max(pg_range->end, d);
            }
          }
        }
        rows.push_back(std::move(row));
      }
    }
  }

  auto values = store_.Read(spec.account_sid, refs);
  if (!values.ok()) return values.status();
  std::map<std::pair<std::string, absl::CivilDay>, Totals> old_days;
  if (pg_range) {
    auto old = repo_.Query(spec.account_sid, spec.category, *pg_range);
    if (!old.ok()) return old.status();
    for (const DailyRow& r : *old) old_days[{r.category, r.day}] = r.totals;
  }
  std::vector<UsageRecordFields> out;
  for (const Row& row : rows) {
    Totals t;
    for (size_t i : row.refs) t += (*values)[i];
    for (absl::CivilDay d : row.pg_days) {
      auto it = old_days.find({row.category->name, d});
      if (it != old_days.end()) t += it->second;
    }
    if (spec.category.empty() && t.empty()) continue;
    out.push_back(BuildUsageRecord(spec.account_sid, *row.category, t, row.start, row.end, now));
  }
  return out;
}

}  // namespace dialtone::usage_metering

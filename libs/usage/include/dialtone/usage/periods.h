// Periods in UTC: counter period keys for an instant, Twilio's relative periods, and the buckets
// a usage query reports.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace dialtone::usage {

// Injected wherever "now" matters, so tests pick the day.
using Clock = std::function<absl::Time()>;

enum class PeriodKind { kDaily, kMonthly, kYearly, kAllTime };

// "daily:2026-11-25", "monthly:2026-11", "yearly:2026", "alltime".
std::string PeriodKey(PeriodKind kind, absl::CivilDay day);
// The four period keys of the UTC day containing `t`, daily first.
std::vector<std::string> PeriodKeysFor(absl::Time t);

absl::CivilDay UtcDay(absl::Time t);
std::string FormatDay(absl::CivilDay day);  // "2026-11-25"
// Strict "YYYY-MM-DD" (rejects 2026-02-30).
absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view text);

// An inclusive range of UTC days.
struct DayRange {
  absl::CivilDay start;
  absl::CivilDay end;
  bool operator==(const DayRange&) const = default;
};

enum class RelativePeriod { kToday, kYesterday, kThisMonth, kLastMonth };
// Today and Yesterday are one day; ThisMonth runs from the 1st to today; LastMonth is the whole
// previous month.
DayRange RelativeRange(RelativePeriod period, absl::Time now);

// One row of a query: the bucket's period key, and the days of the range it covers. `whole`
// when the range covers the bucket entirely, so the bucket's own counter answers exactly.
struct Bucket {
  std::string period;
  DayRange days;
  bool whole = false;
};
// Daily, monthly or yearly buckets intersecting `range`, oldest first (not kAllTime).
std::vector<Bucket> BucketsFor(PeriodKind kind, DayRange range);

}  // namespace dialtone::usage

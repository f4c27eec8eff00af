// Period arithmetic on absl civil time, always in UTC.
#include "dialtone/usage/periods.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace dialtone::usage {

std::string PeriodKey(PeriodKind kind, absl::CivilDay day) {
  switch (kind) {
    case PeriodKind::kDaily: return absl::StrCat("daily:", FormatDay(day));
    case PeriodKind::kMonthly: return absl::StrFormat("monthly:%04d-%02d", day.year(), day.month());
    case PeriodKind::kYearly: return absl::StrFormat("yearly:%04d", day.year());
    case PeriodKind::kAllTime: return "alltime";
  }
  return "alltime";
}

std::vector<std::string> PeriodKeysFor(absl::Time t) {
  absl::CivilDay day = UtcDay(t);
  return {PeriodKey(PeriodKind::kDaily, day), PeriodKey(PeriodKind::kMonthly, day),
          PeriodKey(PeriodKind::kYearly, day), PeriodKey(PeriodKind::kAllTime, day)};
}

absl::CivilDay UtcDay(absl::Time t) { return absl::ToCivilDay(t, absl::UTCTimeZone()); }

std::string FormatDay(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view text) {
  absl::CivilDay day;
  // ParseCivilTime normalises nothing away silently for us: check the round trip.
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day) || FormatDay(day) != text) {
    return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" is not a date (YYYY-MM-DD)"));
  }
  return day;
}

DayRange RelativeRange(RelativePeriod period, absl::Time now) {
  absl::CivilDay today = UtcDay(now);
  absl::CivilDay first_of_month{absl::CivilMonth(today)};
  switch (period) {
    case RelativePeriod::kToday: return {today, today};
    case RelativePeriod::kYesterday: return {today - 1, today - 1};
    case RelativePeriod::kThisMonth: return {first_of_month, today};
    case RelativePeriod::kLastMonth:
      return {absl::CivilDay(absl::CivilMonth(today) - 1), first_of_month - 1};
  }
  return {today, today};
}

std::vector<Bucket> BucketsFor(PeriodKind kind, DayRange range) {
  std::vector<Bucket> out;
  absl::CivilDay day = range.start;
  while (day <= range.end) {
    absl::CivilDay bucket_start = day;
    absl::CivilDay bucket_end = day;
    if (kind == PeriodKind::kMonthly) {
      bucket_start = absl::CivilDay(absl::CivilMonth(day));
      bucket_end = absl::CivilDay(absl::CivilMonth(day) + 1) - 1;
    } else if (kind == PeriodKind::kYearly) {
      bucket_start = absl::CivilDay(absl::CivilYear(day));
      bucket_end = absl::CivilDay(absl::CivilYear(day) + 1) - 1;
    }
    DayRange covered{std::max(bucket_start, range.start), std::min(bucket_end, range.end)};
    out.push_back({PeriodKey(kind, day), covered,
                   covered.start == bucket_start && covered.end == bucket_end});
    day = covered.end + 1;
  }
  return out;
}

}  // namespace dialtone::usage

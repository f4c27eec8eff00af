// RollUpJob: Redis daily counters -> usage_daily.
#include "adapters/roll_up_job.h"

#include "absl/strings/str_cat.h"

namespace dialtone::usage_metering {

absl::StatusOr<int> RollUpJob::RunOnce() {
  auto accounts = store_.AccountsWithUsage();
  if (!accounts.ok()) return accounts.status();
  int written = 0;
  for (const std::string& account : *accounts) {
    auto members = store_.DirtyMembers(account);
    if (!members.ok()) return members.status();
    if (members->empty()) continue;
    std::vector<std::string> valid;
    std::vector<CounterRef> refs;
    std::vector<DailyRow> rows;
    for (const std::string& m : *members) {
      std::string category, day_text;
      if (!SplitDirtyMember(m, &category, &day_text)) continue;
      auto day = usage::ParseDay(day_text);
      if (!day.ok()) continue;
      valid.push_back(m);
      refs.push_back({category, absl::StrCat("daily:", day_text)});
      rows.push_back({account, category, *day, {}});
    }
    auto values = store_.Read(account, refs);
    if (!values.ok()) return values.status();
    for (size_t i = 0; i < rows.size(); ++i) rows[i].totals = (*values)[i];
    if (auto s = repo_.Upsert(rows); !s.ok()) return s;
    written += static_cast<int>(rows.size());
    if (auto cleared = store_.Unmark(account, valid, *values); !cleared.ok()) {
      return cleared.status();
    }
  }
  return written;
}

void RollUpJob::Start(std::function<void(const absl::StatusOr<int>&)> on_run) {
  thread_ = std::thread([this, on_run = std::move(on_run)] {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, absl::ToChronoMilliseconds(interval_), [&] { return stop_; })) {
      lock.unlock();
      auto result = RunOnce();
      if (on_run) on_run(result);
      lock.lock();
    }
  });
}

void RollUpJob::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace dialtone::usage_metering

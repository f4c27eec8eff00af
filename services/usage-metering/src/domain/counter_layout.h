// The Redis layout of usage counters and the argument plan of the one Lua script that counts a
// batch of one account's events. Pure: builds strings, talks to nothing.
//
// Every key carries the account in a hash tag, so one account's keys live in one Redis Cluster
// slot and one script may touch them all:
//   usage:{AC…}:<category>:<period>   hash {count, usage (micros), price (micros)}
//   usage:{AC…}:ev:<event_id>         dedup marker, SET NX EX <retention>
//   usage:{AC…}:dirty                 set of "<category>|<YYYY-MM-DD>" awaiting roll-up
//   usage:accounts                    set of accounts with usage (no hash tag; written apart)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "domain/usage_event.h"

namespace dialtone::usage_metering {

inline constexpr absl::string_view kAccountsKey = "usage:accounts";

std::string CounterKey(absl::string_view account, absl::string_view category,
                       absl::string_view period);
std::string DedupKey(absl::string_view account, absl::string_view event_id);
std::string DirtyKey(absl::string_view account);
// "calls-inbound|2026-11-25" <-> (category, day string).
std::string DirtyMember(absl::string_view category, absl::string_view day);
bool SplitDirtyMember(absl::string_view member, std::string* category, std::string* day);

// Which counter a script key is.
struct CounterRef {
  std::string category;
  std::string period;
};

// KEYS and ARGV of one EVALSHA of kPublishScript, and what each counter key is.
// KEYS = [dirty, counter_1..counter_U, dedup_1..dedup_E]; counters[i] describes KEYS[2 + i].
struct ScriptCall {
  std::vector<std::string> keys;
  std::vector<std::string> args;
  std::vector<CounterRef> counters;
};

struct ScriptOptions {
  int64_t dedup_retention_seconds = 35 * 86400;
  int64_t daily_ttl_seconds = 90 * 86400;
};

// Plans one script run for `events`, which must be validated and share one account. Each event
// increments every period (day, month, year, all time) of its category and of its roll-ups, and,
// when it has a price, the price of totalprice. Daily counters get `daily_ttl_seconds`.
ScriptCall PlanPublish(const std::vector<UsageEvent>& events, const ScriptOptions& options);

// The Lua script. Per event it sets the dedup marker (SET NX EX); for new events it adds the
// increments, summed per key inside the script, then runs one HINCRBY per field per touched key.
// Returns {{1|0 per event: counted now}, {i, count, usage, price, ...}} with i the 1-based KEYS
// index of each counter a new event touched and its values after the increment.
// Amounts travel as Lua numbers (doubles): exact up to 2^53 micro-units (9e9 units) per counter.
extern const char kPublishScript[];

// Reads counters: KEYS = counter keys; returns {count, usage, price} per key (0 when absent).
extern const char kReadScript[];

// Clears roll-up marks: KEYS = [dirty, daily counter keys...], ARGV = [member, count, usage,
// price]... per key. A member is removed only when its counter still holds the values that were
// copied, so an increment that raced with the copy keeps its mark.
extern const char kUnmarkScript[];

}  // namespace dialtone::usage_metering

// Key derivation, script planning and the Lua sources.
#include "domain/counter_layout.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "dialtone/usage/periods.h"
#include "domain/category_catalog.h"

namespace dialtone::usage_metering {

std::string CounterKey(absl::string_view account, absl::string_view category,
                       absl::string_view period) {
  return absl::StrCat("usage:{", account, "}:", category, ":", period);
}

std::string DedupKey(absl::string_view account, absl::string_view event_id) {
  return absl::StrCat("usage:{", account, "}:ev:", event_id);
}

std::string DirtyKey(absl::string_view account) {
  return absl::StrCat("usage:{", account, "}:dirty");
}

std::string DirtyMember(absl::string_view category, absl::string_view day) {
  return absl::StrCat(category, "|", day);
}

bool SplitDirtyMember(absl::string_view member, std::string* category, std::string* day) {
  size_t bar = member.find('|');
  if (bar == absl::string_view::npos) return false;
  *category = std::string(member.substr(0, bar));
  *day = std::string(member.substr(bar + 1));
  return true;
}

ScriptCall PlanPublish(const std::vector<UsageEvent>& events, const ScriptOptions& options) {
  ScriptCall call;
  if (events.empty()) return call;
  const std::string& account = events.front().account_sid;
  call.keys.push_back(DirtyKey(account));
  std::map<std::string, int> index;  // counter key -> KEYS index (1-based)
  std::vector<std::string> ttls;
  auto key_index = [&](const std::string& category, const std::string& period) {
    std::string key = CounterKey(account, category, period);
    auto [it, added] = index.emplace(key, 0);
    if (added) {
      call.keys.push_back(key);
      it->second = static_cast<int>(call.keys.size());
      call.counters.push_back({category, period});
      ttls.push_back(period.rfind("daily:", 0) == 0 ? std::to_string(options.daily_ttl_seconds)
                                                    : "0");
    }
    return it->second;
  };
  std::vector<std::string> per_event;
  for (const UsageEvent& e : events) {
    std::vector<std::string> periods = usage::PeriodKeysFor(e.time);
    std::string day = usage::FormatDay(usage::UtcDay(e.time));
    std::vector<std::string> incs;
    std::vector<std::string> dirty;
    auto add = [&](const std::string& category, int64_t count, int64_t usage, int64_t price) {
      for (const std::string& period : periods) {
        incs.insert(incs.end(), {std::to_string(key_index(category, period)), std::to_string(count),
                                 std::to_string(usage), std::to_string(price)});
      }
      dirty.push_back(DirtyMember(category, day));
    };
    for (const std::string& category : CountedInto(e.category)) {
      add(category, e.count, e.usage_micros, e.price_micros);
    }
    // totalprice's usage is the price itself (Twilio reports it in usd).
    if (e.price_micros > 0 && e.category != kTotalPrice) {
      add(std::string(kTotalPrice), 0, e.price_micros, e.price_micros);
    }
    per_event.push_back(std::to_string(incs.size() / 4));
    per_event.push_back(std::to_string(dirty.size()));
    per_event.insert(per_event.end(), incs.begin(), incs.end());
    per_event.insert(per_event.end(), dirty.begin(), dirty.end());
  }
  for (const UsageEvent& e : events) call.keys.push_back(DedupKey(account, e.event_id));
  call.args = {std::to_string(options.dedup_retention_seconds),
               std::to_string(call.counters.size()), std::to_string(events.size())};
  call.args.insert(call.args.end(), ttls.begin(), ttls.end());
  call.args.insert(call.args.end(), per_event.begin(), per_event.end());
  return call;
}

const char kPublishScript[] = R"lua(
local retention = ARGV[1]
local ncounters = tonumber(ARGV[2])
local nevents = tonumber(ARGV[3])
local a = 4 + ncounters
local sums = {}
local order = {}
local new = {}
local dirty = {}
local members = {}
for e = 1, nevents do
  local ninc = tonumber(ARGV[a])
  local ndirty = tonumber(ARGV[a + 1])
  a = a + 2
  if redis.call('SET', KEYS[1 + ncounters + e], '1', 'NX', 'EX', retention) then
    new[e] = 1
    for i = 0, ninc - 1 do
      local b = a + i * 4
      local idx = tonumber(ARGV[b])
      local s = sums[idx]
      if not s then
        s = {0, 0, 0}
        sums[idx] = s
        order[#order + 1] = idx
      end
      s[1] = s[1] + tonumber(ARGV[b + 1])
      s[2] = s[2] + tonumber(ARGV[b + 2])
      s[3] = s[3] + tonumber(ARGV[b + 3])
    end
    for d = 0, ndirty - 1 do
      local m = ARGV[a + ninc * 4 + d]
      if not dirty[m] then
        dirty[m] = true
        members[#members + 1] = m
      end
    end
  else
    new[e] = 0
  end
  a = a + ninc * 4 + ndirty
end
-- One SADD per distinct "<category>|<day>" of the batch, not one per event.
if #members > 0 then redis.call('SADD', KEYS[1], unpack(members)) end
local out = {}
for _, idx in ipairs(order) do
  local s = sums[idx]
  local key = KEYS[idx]
  out[#out + 1] = idx
  out[#out + 1] = redis.call('HINCRBY', key, 'count', string.format('%d', s[1]))
  out[#out + 1] = redis.call('HINCRBY', key, 'usage', string.format('%d', s[2]))
  out[#out + 1] = redis.call('HINCRBY', key, 'price', string.format('%d', s[3]))
  local ttl = ARGV[3 + idx - 1]
  if ttl ~= '0' then redis.call('EXPIRE', key, ttl) end
end
return {new, out}
)lua";

const char kReadScript[] = R"lua(
local out = {}
for i = 1, #KEYS do
  local v = redis.call('HMGET', KEYS[i], 'count', 'usage', 'price')
  out[#out + 1] = v[1] or '0'
  out[#out + 1] = v[2] or '0'
  out[#out + 1] = v[3] or '0'
end
return out
)lua";

const char kUnmarkScript[] = R"lua(
local removed = 0
for i = 2, #KEYS do
  local b = (i - 2) * 4 + 1
  local v = redis.call('HMGET', KEYS[i], 'count', 'usage', 'price')
  if (v[1] or '0') == ARGV[b + 1] and (v[2] or '0') == ARGV[b + 2] and (v[3] or '0') == ARGV[b + 3] then
    removed = removed + redis.call('SREM', KEYS[1], ARGV[b])
  end
end
return removed
)lua";

}  // namespace dialtone::usage_metering

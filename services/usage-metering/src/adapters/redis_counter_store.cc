// RedisCounterStore: script calls and reply decoding.
#include "adapters/redis_counter_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace dialtone::usage_metering {
namespace {

using redis::RedisReply;

absl::Status Malformed(absl::string_view what) {
  return absl::InternalError(absl::StrCat("unexpected Redis reply: ", what));
}

// Integers come back as integers from HINCRBY and as strings from HMGET.
bool ToInt(const RedisReply& r, int64_t* out) {
  if (r.type == RedisReply::Type::kInteger) {
    *out = r.integer;
    return true;
  }
  if (r.type == RedisReply::Type::kNil) {
    *out = 0;
    return true;
  }
  return r.type == RedisReply::Type::kString && absl::SimpleAtoi(r.str, out);
}

}  // namespace

RedisCounterStore::RedisCounterStore(redis::RedisPool& pool, ScriptOptions options)
    : pool_(pool), options_(options) {
  pool_.LoadScript("usage_publish", kPublishScript);
  pool_.LoadScript("usage_read", kReadScript);
  pool_.LoadScript("usage_unmark", kUnmarkScript);
}

absl::StatusOr<PublishOutcome> RedisCounterStore::Publish(const std::vector<UsageEvent>& events) {
  PublishOutcome out;
  if (events.empty()) return out;
  ScriptCall call = PlanPublish(events, options_);
  auto reply = pool_.Eval("usage_publish", call.keys, call.args);
  if (!reply.ok()) return reply.status();
  if (reply->type != RedisReply::Type::kArray || reply->elements.size() != 2 ||
      reply->elements[0].elements.size() != events.size() ||
      reply->elements[1].elements.size() % 4 != 0) {
    return Malformed("publish script");
  }
  for (const RedisReply& flag : reply->elements[0].elements)
    out.counted.push_back(flag.integer == 1);
  const auto& flat = reply->elements[1].elements;
  const std::string& account = events.front().account_sid;
  for (size_t i = 0; i < flat.size(); i += 4) {
    int64_t idx = flat[i].integer;
    if (idx < 2 || idx - 2 >= static_cast<int64_t>(call.counters.size())) {
      return Malformed("counter index");
    }
    const CounterRef& ref = call.counters[idx - 2];
    CounterValue v{account, ref.category, ref.period, {}};
    if (!ToInt(flat[i + 1], &v.totals.count) || !ToInt(flat[i + 2], &v.totals.usage) ||
        !ToInt(flat[i + 3], &v.totals.price)) {
      return Malformed("counter value");
    }
    out.counters.push_back(std::move(v));
  }
  // Outside the script: this key has no hash tag (a global index for the roll-up job). Losing
  // it to a crash right here is harmless: the account's next publish adds it again.
  if (!out.counters.empty()) {
    auto added = pool_.Command({"SADD", std::string(kAccountsKey), account});
    if (!added.ok()) return added.status();
  }
  return out;
}

absl::StatusOr<std::vector<Totals>> RedisCounterStore::Read(const std::string& account,
                                                            const std::vector<CounterRef>& refs) {
  std::vector<Totals> out;
  if (refs.empty()) return out;
  std::vector<std::string> keys;
  keys.reserve(refs.size());
  for (const CounterRef& r : refs) keys.push_back(CounterKey(account, r.category, r.period));
  auto reply = pool_.Eval("usage_read", keys, {});
  if (!reply.ok()) return reply.status();
  if (reply->type != RedisReply::Type::kArray || reply->elements.size() != 3 * refs.size()) {
    return Malformed("read script");
  }
  const auto& e = reply->elements;
  for (size_t i = 0; i < refs.size(); ++i) {
    Totals t;
    if (!ToInt(e[3 * i], &t.count) || !ToInt(e[3 * i + 1], &t.usage) ||
        !ToInt(e[3 * i + 2], &t.price)) {
      return Malformed("counter value");
    }
    out.push_back(t);
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> RedisCounterStore::AccountsWithUsage() {
  auto reply = pool_.Command({"SMEMBERS", std::string(kAccountsKey)});
  if (!reply.ok()) return reply.status();
  std::vector<std::string> out;
  for (const auto& e : reply->elements) out.push_back(e.str);
  return out;
}

absl::StatusOr<std::vector<std::string>> RedisCounterStore::DirtyMembers(
    const std::string& account) {
  auto reply = pool_.Command({"SMEMBERS", DirtyKey(account)});
  if (!reply.ok()) return reply.status();
  std::vector<std::string> out;
  for (const auto& e : reply->elements) out.push_back(e.str);
  return out;
}

absl::StatusOr<int> RedisCounterStore::Unmark(const std::string& account,
                                              const std::vector<std::string>& members,
                                              const std::vector<Totals>& copied) {
  std::vector<std::string> keys{DirtyKey(account)};
  std::vector<std::string> args;
  for (size_t i = 0; i < members.size(); ++i) {
    std::string category, day;
    if (!SplitDirtyMember(members[i], &category, &day)) continue;
    keys.push_back(CounterKey(account, category, absl::StrCat("daily:", day)));
    args.insert(args.end(), {members[i], std::to_string(copied[i].count),
                             std::to_string(copied[i].usage), std::to_string(copied[i].price)});
  }
  auto reply = pool_.Eval("usage_unmark", keys, args);
  if (!reply.ok()) return reply.status();
  return static_cast<int>(reply->integer);
}

}  // namespace dialtone::usage_metering

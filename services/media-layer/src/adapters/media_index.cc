// MediaIndex: Lua scripts over the key layout in the header.
#include "adapters/media_index.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace dialtone::media_layer {
namespace {

using redis::RedisReply;

// KEYS[1] request key; ARGV[1] entry key prefix. The entry, or nil (a dangling pointer is
// removed on the way).
constexpr char kLookup[] = R"lua(
local sid = redis.call('GET', KEYS[1])
if not sid then return nil end
local h = redis.call('HGETALL', ARGV[1] .. sid)
if #h == 0 then redis.call('DEL', KEYS[1]) return nil end
return h
)lua";

// KEYS: entry, request (or the entry again when none), account set. ARGV: ttl_ms (0 = none),
// has_request, fields...
constexpr char kPut[] = R"lua(
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(fields))
if tonumber(ARGV[1]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if ARGV[2] == '1' then redis.call('SET', KEYS[2], redis.call('HGET', KEYS[1], 'sid')) end
redis.call('SADD', KEYS[3], redis.call('HGET', KEYS[1], 'sid'))
return 1
)lua";

// KEYS: entry, account set. ARGV: request key prefix. Returns the deleted entry's fields.
constexpr char kDelete[] = R"lua(
local h = redis.call('HGETALL', KEYS[1])
if #h == 0 then return nil end
local sid, req
for i = 1, #h, 2 do
  if h[i] == 'sid' then sid = h[i + 1] end
  if h[i] == 'req' then req = h[i + 1] end
end
if req and req ~= '' and redis.call('GET', ARGV[1] .. req) == sid then
  redis.call('DEL', ARGV[1] .. req)
end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], sid)
return h
)lua";

// KEYS: account set. ARGV: entry prefix, request prefix. Keys built here share the set's slot.
constexpr char kPurge[] = R"lua(
local n = 0
for _, sid in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local req = redis.call('HGET', ARGV[1] .. sid, 'req')
  if req and req ~= '' then redis.call('DEL', ARGV[2] .. req) end
  n = n + redis.call('DEL', ARGV[1] .. sid)
end
redis.call('DEL', KEYS[1])
return n
)lua";

constexpr char kUnlock[] = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua";

// KEYS: lru zset, size hash, total. ARGV: blob, size, now_ms, cap.
constexpr char kAddLru[] = R"lua(
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 1 then
  redis.call('INCRBY', KEYS[3], ARGV[2])
end
local total = tonumber(redis.call('GET', KEYS[3]) or '0')
local evicted = {}
while total > tonumber(ARGV[4]) do
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 1)
  local victim = oldest[1]
  if victim == ARGV[1] then victim = oldest[2] end
  if not victim then break end
  redis.call('ZREM', KEYS[1], victim)
  local size = tonumber(redis.call('HGET', KEYS[2], victim) or '0')
  redis.call('HDEL', KEYS[2], victim)
  total = redis.call('DECRBY', KEYS[3], size)
  evicted[#evicted + 1] = victim
end
return evicted
)lua";

absl::StatusOr<std::optional<MediaEntry>> EntryFrom(const RedisReply& r) {
  if (r.type != RedisReply::Type::kArray) return std::optional<MediaEntry>();
  std::map<std::string, std::string> fields;
  for (size_t i = 0; i + 1 < r.elements.size(); i += 2) {
    fields[r.elements[i].str] = r.elements[i + 1].str;
  }
  auto e = FromFields(fields);
  if (!e.ok()) return e.status();
  return std::optional<MediaEntry>(std::move(*e));
}

std::string EntryPrefix(const std::string& account) { return EntryKey(account, ""); }
std::string RequestPrefix(const std::string& account) { return RequestKey(account, ""); }

}  // namespace

MediaIndex::MediaIndex(redis::RedisPool& redis, Options options)
    : redis_(redis),
      options_(options),
      lru_(absl::StrCat("media:{", options_.lru_tag, "}")),
      lru_size_(lru_ + ":size"),
      lru_total_(lru_ + ":total") {
  redis_.LoadScript("media_lookup", kLookup);
  redis_.LoadScript("media_put", kPut);
  redis_.LoadScript("media_delete", kDelete);
  redis_.LoadScript("media_purge", kPurge);
  redis_.LoadScript("media_unlock", kUnlock);
  redis_.LoadScript("media_add_lru", kAddLru);
}

absl::StatusOr<std::optional<MediaEntry>> MediaIndex::Lookup(const std::string& account,
                                                             const std::string& hash) {
  auto r = redis_.Eval("media_lookup", {RequestKey(account, hash)}, {EntryPrefix(account)});
  if (!r.ok()) return r.status();
  return EntryFrom(*r);
}

absl::StatusOr<std::optional<MediaEntry>> MediaIndex::Get(const std::string& account,
                                                          const std::string& sid) {
  auto r = redis_.Command({"HGETALL", EntryKey(account, sid)});
  if (!r.ok()) return r.status();
  if (r->elements.empty()) return std::optional<MediaEntry>();
  return EntryFrom(*r);
}

absl::StatusOr<std::string> MediaIndex::Owner(const std::string& sid) {
  auto r = redis_.Command({"GET", OwnerKey(sid)});
  if (!r.ok()) return r.status();
  if (r->type != RedisReply::Type::kString) return absl::NotFoundError("unknown media");
  return r->str;
}

absl::Status MediaIndex::Put(const MediaEntry& e) {
  int64_t ttl_ms =
      e.kind == MediaKind::kTransient ? absl::ToInt64Milliseconds(options_.transient_ttl) : 0;
  bool has_req = !e.request_key.empty();
  std::vector<std::string> args = {absl::StrCat(ttl_ms), has_req ? "1" : "0"};
  for (auto& f : ToFields(e)) args.push_back(std::move(f));
  std::string entry_key = EntryKey(e.account_sid, e.sid);
  auto r = redis_.Eval("media_put",
                       {entry_key, has_req ? RequestKey(e.account_sid, e.request_key) : entry_key,
                        AccountSetKey(e.account_sid)},
                       args);
  if (!r.ok()) return r.status();
  std::vector<std::string> owner = {"SET", OwnerKey(e.sid), e.account_sid};
  if (ttl_ms > 0) {
    owner.push_back("PX");
    owner.push_back(absl::StrCat(ttl_ms));
  }
  return redis_.Command(owner).status();
}

absl::Status MediaIndex::SetFreshUntil(const MediaEntry& e, absl::Time fresh_until) {
  return redis_
      .Command({"HSET", EntryKey(e.account_sid, e.sid), "fresh_until_ms",
                absl::StrCat(absl::ToUnixMillis(fresh_until))})
      .status();
}

absl::StatusOr<std::optional<MediaEntry>> MediaIndex::Delete(const std::string& account,
                                                             const std::string& sid) {
  auto r = redis_.Eval("media_delete", {EntryKey(account, sid), AccountSetKey(account)},
                       {RequestPrefix(account)});
  if (!r.ok()) return r.status();
  auto e = EntryFrom(*r);
  if (e.ok() && e->has_value()) (void)redis_.Command({"DEL", OwnerKey(sid)});
  return e;
}

absl::StatusOr<int64_t> MediaIndex::Purge(const std::string& account) {
  auto r = redis_.Eval("media_purge", {AccountSetKey(account)},
                       {EntryPrefix(account), RequestPrefix(account)});
  if (!r.ok()) return r.status();
  return r->integer;
}

absl::StatusOr<bool> MediaIndex::TryLock(const std::string& account, const std::string& hash,
                                         const std::string& token, absl::Duration ttl) {
  auto r = redis_.Command({"SET", LockKey(account, hash), token, "NX", "PX",
                           absl::StrCat(absl::ToInt64Milliseconds(ttl))});
  if (!r.ok()) return r.status();
  return r->type == RedisReply::Type::kStatus;
}

void MediaIndex::Unlock(const std::string& account, const std::string& hash,
                        const std::string& token) {
  (void)redis_.Eval("media_unlock", {LockKey(account, hash)}, {token});
}

absl::StatusOr<std::vector<std::string>> MediaIndex::AddToLru(const std::string& blob,
                                                              int64_t size) {
  auto r = redis_.Eval("media_add_lru", {lru_, lru_size_, lru_total_},
                       {blob, absl::StrCat(size), absl::StrCat(absl::ToUnixMillis(absl::Now())),
                        absl::StrCat(options_.cache_max_bytes)});
  if (!r.ok()) return r.status();
  std::vector<std::string> evicted;
  for (const auto& e : r->elements) evicted.push_back(e.str);
  return evicted;
}

void MediaIndex::Touch(const std::string& blob) {
  std::lock_guard lock(touch_mu_);
  touched_.insert(blob);
}

absl::Status MediaIndex::FlushTouches() {
  std::set<std::string> batch;
  {
    std::lock_guard lock(touch_mu_);
    batch.swap(touched_);
  }
  if (batch.empty()) return absl::OkStatus();
  std::vector<std::string> cmd = {"ZADD", lru_, "XX"};
  std::string now = absl::StrCat(absl::ToUnixMillis(absl::Now()));
  for (const auto& b : batch) {
    cmd.push_back(now);
    cmd.push_back(b);
  }
  return redis_.Command(cmd).status();
}

}  // namespace dialtone::media_layer

// The media cache index in Redis: request -> entry, entries by SID, per-request locks for
// single-flight across processes, and the LRU of cached blobs with its size cap.
//
// Keys: media:{AC..}:req:<hash> -> SID, media:{AC..}:me:<SID> -> hash (MediaEntry),
// media:{AC..}:sids (set), media:{AC..}:lock:<hash>, media:{ME..}:owner -> AC..;
// media:{lru} (zset blob -> last use), media:{lru}:size (hash), media:{lru}:total.
// Scripts touch one hash slot each, so the layout runs on Redis Cluster. Recording blobs are
// never in the LRU. Thread-safe.
#pragma once

#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "dialtone/redis/redis_pool.h"
#include "domain/media_entry.h"

namespace dialtone::media_layer {

class MediaIndex {
 public:
  struct Options {
    int64_t cache_max_bytes = int64_t{1} << 30;
    absl::Duration transient_ttl = absl::Hours(1);  // no-store media stay readable this long
    // Hash tag of the LRU keys; one per media_dir (blobs on one disk share one cap).
    std::string lru_tag = "lru";
  };
  MediaIndex(redis::RedisPool& redis, Options options);

  // The entry a request hash points to, or nullopt.
  absl::StatusOr<std::optional<MediaEntry>> Lookup(const std::string& account,
                                                   const std::string& request_hash);
  absl::StatusOr<std::optional<MediaEntry>> Get(const std::string& account, const std::string& sid);
  // The account owning `sid`, or NotFound.
  absl::StatusOr<std::string> Owner(const std::string& sid);

  // Writes the entry (and the request pointer when e.request_key is set); transient entries
  // expire after transient_ttl.
  absl::Status Put(const MediaEntry& e);
  absl::Status SetFreshUntil(const MediaEntry& e, absl::Time fresh_until);
  // Removes the entry; returns it (nullopt when unknown).
  absl::StatusOr<std::optional<MediaEntry>> Delete(const std::string& account,
                                                   const std::string& sid);
  absl::StatusOr<int64_t> Purge(const std::string& account);

  // Single-flight lock of one request; true when taken.
  absl::StatusOr<bool> TryLock(const std::string& account, const std::string& request_hash,
                               const std::string& token, absl::Duration ttl);
  void Unlock(const std::string& account, const std::string& request_hash,
              const std::string& token);

  // Adds a blob to the LRU and evicts the least recently used blobs while the total exceeds the
  // cap (never the blob just added). Returns the evicted blob names ("<sha>.<ext>").
  absl::StatusOr<std::vector<std::string>> AddToLru(const std::string& blob, int64_t size);
  // Records a use; written by FlushTouches (every second from the app), so hits cost no write.
  void Touch(const std::string& blob);
  absl::Status FlushTouches();

 private:
  redis::RedisPool& redis_;
  Options options_;
  std::string lru_, lru_size_, lru_total_;
  std::mutex touch_mu_;
  std::set<std::string> touched_;
};

}  // namespace dialtone::media_layer

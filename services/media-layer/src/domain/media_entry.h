// One media entry of the index, and its Redis hash layout. Pure, any thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/audio.h"

namespace dialtone::media_layer {

enum class MediaKind { kUrl, kSpeech, kRecording, kTransient };

struct MediaEntry {
  std::string sid;
  std::string account_sid;
  MediaKind kind = MediaKind::kUrl;
  G711 codec = G711::kUlaw;
  std::string sha256;  // of the G.711 payload; names the blob
  int64_t size_bytes = 0;
  int64_t duration_ms = 0;
  absl::Time created;
  absl::Time fresh_until = absl::InfiniteFuture();
  std::string etag;  // the origin's validators, for revalidation
  std::string last_modified;
  std::string request_key;  // empty for recordings and no-store media
  std::string source;       // the URL, the text, or the recording SID

  std::string blob_ext() const { return codec == G711::kUlaw ? "ulaw" : "alaw"; }
  bool Fresh(absl::Time now) const { return now < fresh_until; }
};

std::vector<std::string> ToFields(const MediaEntry& e);  // HSET name value ...
absl::StatusOr<MediaEntry> FromFields(const std::map<std::string, std::string>& fields);

int64_t G711DurationMs(int64_t bytes);  // 8 bytes per ms

// Redis keys; every account key carries the account as hash tag.
std::string RequestKey(const std::string& account, const std::string& request_hash);
std::string EntryKey(const std::string& account, const std::string& sid);
std::string LockKey(const std::string& account, const std::string& request_hash);
std::string AccountSetKey(const std::string& account);
std::string OwnerKey(const std::string& sid);  // sid -> account, for the HTTP addresses

}  // namespace dialtone::media_layer

// The media layer's core: Resolve (cache lookup, single-flight fetch or synthesis, conversion,
// storage), reads, recordings, deletion. The gRPC and HTTP adapters are thin shells around it.
// Runs on the callers' threads (gRPC and HTTP); thread-safe.
//
//   MediaService svc(index, blobs, fetcher, tts, &metrics, {.public_url = "http://media:8081"});
//   auto r = svc.Resolve({.account_sid = "AC..", .url = "https://x/a.mp3"});
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "adapters/blob_store.h"
#include "adapters/media_fetcher.h"
#include "adapters/media_index.h"
#include "adapters/media_metrics.h"
#include "adapters/tts_engine.h"
#include "domain/media_entry.h"

namespace dialtone::media_layer {

struct SpeechInput {
  std::string text;
  std::string voice;
  std::string language;
};

struct ResolveInput {
  std::string account_sid;
  std::optional<std::string> url;
  std::optional<SpeechInput> speech;
  G711 codec = G711::kUlaw;
};

struct ResolveResult {
  MediaEntry entry;
  MediaMetrics::Outcome outcome = MediaMetrics::Outcome::kMiss;
};

struct RecordingInput {
  std::string account_sid;
  std::string call_sid;
  std::string recording_sid;
  enum class Format { kPcmu, kPcma, kL16 } format = Format::kPcmu;
  int channels = 1;
  bool trim_silence = false;
  std::string audio;
};

class MediaService {
 public:
  struct Options {
    std::string public_url = "http://127.0.0.1:8081";  // base of the persistent addresses
    absl::Duration default_ttl = absl::Hours(24);      // when the origin sends no caching headers
    absl::Duration lock_ttl = absl::Seconds(30);       // a crashed fetcher's lock expires
    absl::Duration wait_timeout = absl::Seconds(30);
    absl::Duration poll_interval = absl::Milliseconds(10);
    size_t max_text_chars = 4096;
    // Fresh entries are also remembered in process for this long (never past their HTTP
    // freshness), so most hits skip Redis; a delete or purge made through another process is
    // seen here within this bound. Zero: every hit reads Redis.
    absl::Duration local_ttl = absl::Seconds(1);
    size_t local_max_entries = 100000;
  };
  MediaService(MediaIndex& index, BlobStore& blobs, MediaFetcher& fetcher, TtsEngine& tts,
               MediaMetrics* metrics, Options options);

  // Errors are MediaError statuses with Twilio codes; nothing is cached on failure.
  absl::StatusOr<ResolveResult> Resolve(const ResolveInput& in);
  absl::StatusOr<MediaEntry> Get(const std::string& account, const std::string& sid);
  // The entry of `sid` whatever its account (for the persistent addresses).
  absl::StatusOr<MediaEntry> GetBySid(const std::string& sid);
  // The payload's bytes from `offset`, `length` of them (to its end when absent), read from the
  // blob store; OutOfRange past the end.
  absl::StatusOr<std::string> ReadPayload(const MediaEntry& e, uint64_t offset = 0,
                                          std::optional<uint64_t> length = std::nullopt);
  absl::StatusOr<MediaEntry> StoreRecording(const RecordingInput& in);
  absl::Status Delete(const std::string& account, const std::string& sid);
  absl::StatusOr<int64_t> Purge(const std::string& account);

  std::string Address(const MediaEntry& e) const;
  MediaIndex& index() { return index_; }
  MediaMetrics* metrics() { return metrics_; }

 private:
  struct Request;
  struct Flight;
  absl::StatusOr<ResolveResult> ResolveShared(const Request& r);
  absl::StatusOr<ResolveResult> ResolveAcrossProcesses(const Request& r);
  absl::StatusOr<ResolveResult> Produce(const Request& r, const std::optional<MediaEntry>& stale);
  absl::StatusOr<ResolveResult> ProduceUrl(const Request& r,
                                           const std::optional<MediaEntry>& stale);
  absl::StatusOr<ResolveResult> ProduceSpeech(const Request& r);
  absl::StatusOr<MediaEntry> Store(const Request& r, const std::string& payload, MediaKind kind,
                                   const std::optional<MediaEntry>& previous);
  // Fresh, and its blob is in the store.
  absl::StatusOr<bool> Usable(const std::optional<MediaEntry>& e, absl::Time now);
  void RemoveBlob(const std::string& sha, const std::string& ext);
  std::optional<MediaEntry> Remembered(const std::string& key, absl::Time now);
  void Remember(const std::string& key, const MediaEntry& e, absl::Time now);
  void Forget(const std::string& account, const std::string& sid);  // empty sid: whole account

  MediaIndex& index_;
  BlobStore& blobs_;
  MediaFetcher& fetcher_;
  TtsEngine& tts_;
  MediaMetrics* metrics_;
  Options options_;
  std::mutex flights_mu_;
  std::map<std::string, std::shared_ptr<Flight>> flights_;  // by account + request hash
  struct Memo {
    MediaEntry entry;
    absl::Time until;
  };
  std::shared_mutex memo_mu_;
  std::unordered_map<std::string, Memo> memo_;  // by account + request hash
};

}  // namespace dialtone::media_layer

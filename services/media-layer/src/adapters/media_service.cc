// MediaService: lookup -> single flight (in process, then across processes with a Redis lock)
// -> fetch or synthesise -> convert -> blob -> index.
#include "adapters/media_service.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "dialtone/core/sid.h"
#include "dialtone/log/log.h"
#include "domain/media_error.h"
#include "domain/media_key.h"

namespace dialtone::media_layer {

// A validated request with its cache key.
struct MediaService::Request {
  ResolveInput in;
  std::string url;   // normalised, for URL requests
  LocalVoice voice;  // for speech requests
  std::string hash;  // the request key
};

// One in-process resolve that others wait for.
struct MediaService::Flight {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  absl::StatusOr<ResolveResult> result = absl::UnknownError("pending");
};

MediaService::MediaService(MediaIndex& index, BlobStore& blobs, MediaFetcher& fetcher,
                           TtsEngine& tts, MediaMetrics* metrics, Options options)
    : index_(index),
      blobs_(blobs),
      fetcher_(fetcher),
      tts_(tts),
      metrics_(metrics),
      options_(std::move(options)) {}

std::string MediaService::Address(const MediaEntry& e) const {
  return absl::StrCat(options_.public_url, "/v1/Media/", e.sid, ".wav");
}

absl::StatusOr<bool> MediaService::Usable(const std::optional<MediaEntry>& e, absl::Time now) {
  if (!e.has_value() || !e->Fresh(now)) return false;
  return blobs_.Exists(e->sha256, e->blob_ext());
}

void MediaService::RemoveBlob(const std::string& sha, const std::string& ext) {
  // A blob left behind costs space only: nothing points at it any more.
  if (auto s = blobs_.Remove(sha, ext); !s.ok()) {
    log::Warn("media blob not removed", {{"blob", sha}, {"error", s}});
  }
}

absl::StatusOr<ResolveResult> MediaService::Resolve(const ResolveInput& in) {
  if (!core::IsSid(in.account_sid, core::kAccountPrefix)) {
    return absl::InvalidArgumentError("account_sid must be an AC SID");
  }
  Request r{.in = in};
  if (in.url.has_value() == in.speech.has_value()) {
    return absl::InvalidArgumentError("give either a URL or speech");
  }
  if (in.url) {
    auto url = NormaliseUrl(*in.url);
    if (!url.ok()) return url.status();
    r.url = *url;
    r.hash = UrlRequestKey(r.url, in.codec);
  } else {
    const SpeechInput& s = *in.speech;
    if (s.text.empty() || s.text.size() > options_.max_text_chars) {
      return MediaError(
          absl::StatusCode::kInvalidArgument, kErrorSayInvalidText,
          absl::StrCat("<Say> text must hold 1 to ", options_.max_text_chars, " characters"));
    }
    auto voice = MapVoice(s.voice, s.language);
    if (!voice.ok()) return voice.status();
    r.voice = *voice;
    r.hash =
        SpeechRequestKey(tts_.name(), r.voice.EngineName(), r.voice.language, s.text, in.codec);
  }
  // The hit path: the in-process memo or one Redis round trip, and a stat.
  std::string key = absl::StrCat(in.account_sid, "/", r.hash);
  absl::Time now = absl::Now();
  std::optional<MediaEntry> entry = Remembered(key, now);
  if (!entry) {
    auto stored = index_.Lookup(in.account_sid, r.hash);
    if (!stored.ok()) return stored.status();
    entry = std::move(*stored);
    if (entry && entry->Fresh(now)) Remember(key, *entry, now);
  }
  auto usable = Usable(entry, now);
  if (!usable.ok()) return usable.status();
  if (*usable) {
    index_.Touch(absl::StrCat(entry->sha256, ".", entry->blob_ext()));
    if (metrics_) metrics_->Resolved(MediaMetrics::Outcome::kHit);
    return ResolveResult{.entry = std::move(*entry), .outcome = MediaMetrics::Outcome::kHit};
  }
  auto result = ResolveShared(r);
  if (result.ok() && result->entry.kind != MediaKind::kTransient) {
    Remember(key, result->entry, absl::Now());
  }
  if (metrics_) {
    if (result.ok()) {
      metrics_->Resolved(result->outcome);
    } else {
      metrics_->Failed(TwilioCode(result.status()));
    }
  }
  return result;
}

std::optional<MediaEntry> MediaService::Remembered(const std::string& key, absl::Time now) {
  if (options_.local_ttl <= absl::ZeroDuration()) return std::nullopt;
  std::shared_lock lock(memo_mu_);
  auto it = memo_.find(key);
  if (it == memo_.end() || now >= it->second.until) return std::nullopt;
  return it->second.entry;
}

void MediaService::Remember(const std::string& key, const MediaEntry& e, absl::Time now) {
  if (options_.local_ttl <= absl::ZeroDuration()) return;
  std::unique_lock lock(memo_mu_);
  // Bounded simply: entries live a second, so dropping them all costs one Redis read each.
  if (memo_.size() >= options_.local_max_entries) memo_.clear();
  memo_[key] = Memo{.entry = e, .until = std::min(now + options_.local_ttl, e.fresh_until)};
}

void MediaService::Forget(const std::string& account, const std::string& sid) {
  std::unique_lock lock(memo_mu_);
  for (auto it = memo_.begin(); it != memo_.end();) {
    bool match =
        it->second.entry.account_sid == account && (sid.empty() || it->second.entry.sid == sid);
    it = match ? memo_.erase(it) : std::next(it);
  }
}

absl::StatusOr<ResolveResult> MediaService::ResolveShared(const Request& r) {
  std::string key = absl::StrCat(r.in.account_sid, "/", r.hash);
  std::shared_ptr<Flight> flight;
  bool leader = false;
  {
    std::lock_guard lock(flights_mu_);
    auto& slot = flights_[key];
    if (!slot) {
      slot = std::make_shared<Flight>();
      leader = true;
    }
    flight = slot;
  }
  if (!leader) {
    std::unique_lock lock(flight->mu);
    flight->cv.wait(lock, [&] { return flight->done; });
    absl::StatusOr<ResolveResult> copy = flight->result;
    // This caller did not fetch: for it the media came from the cache.
    if (copy.ok()) copy->outcome = MediaMetrics::Outcome::kHit;
    return copy;
  }
  absl::StatusOr<ResolveResult> result = ResolveAcrossProcesses(r);
  {
    std::lock_guard lock(flights_mu_);
    flights_.erase(key);
  }
  {
    std::lock_guard lock(flight->mu);
    flight->result = result;
    flight->done = true;
  }
  flight->cv.notify_all();
  return result;
}

absl::StatusOr<ResolveResult> MediaService::ResolveAcrossProcesses(const Request& r) {
  const std::string& account = r.in.account_sid;
  std::string token = core::RandomHex(16);
  absl::Time deadline = absl::Now() + options_.wait_timeout;
  bool waited = false;
  for (;;) {
    auto entry = index_.Lookup(account, r.hash);
    if (!entry.ok()) return entry.status();
    auto usable = Usable(*entry, absl::Now());
    if (!usable.ok()) return usable.status();
    if (*usable) {
      return ResolveResult{.entry = std::move(**entry), .outcome = MediaMetrics::Outcome::kHit};
    }
    auto locked = index_.TryLock(account, r.hash, token, options_.lock_ttl);
    if (!locked.ok()) return locked.status();
    if (*locked) {
      // Someone may have finished between our lookup and our lock.
      if (waited) {
        entry = index_.Lookup(account, r.hash);
        if (!entry.ok()) {
          index_.Unlock(account, r.hash, token);
          return entry.status();
        }
        usable = Usable(*entry, absl::Now());
        if (!usable.ok() || *usable) {
          index_.Unlock(account, r.hash, token);
          if (!usable.ok()) return usable.status();
          return ResolveResult{.entry = std::move(**entry), .outcome = MediaMetrics::Outcome::kHit};
        }
      }
      auto result = Produce(r, *entry);
      index_.Unlock(account, r.hash, token);
      return result;
    }
    // Another process is fetching or synthesising the same media: wait for its entry, or for
    // its lock to go (it failed, or crashed and the lock expired) and try ourselves.
    if (absl::Now() > deadline) {
      return absl::UnavailableError(
          "timed out waiting for another media-layer process to fetch "
          "the same media");
    }
    waited = true;
    std::this_thread::sleep_for(absl::ToChronoMilliseconds(options_.poll_interval));
  }
}

absl::StatusOr<ResolveResult> MediaService::Produce(const Request& r,
                                                    const std::optional<MediaEntry>& stale) {
  return r.in.url ? ProduceUrl(r, stale) : ProduceSpeech(r);
}

absl::StatusOr<ResolveResult> MediaService::ProduceUrl(const Request& r,
                                                       const std::optional<MediaEntry>& stale) {
  FetchRequest fetch{.url = r.url};
  bool can_revalidate = false;
  if (stale.has_value()) {
    auto stored = blobs_.Exists(stale->sha256, stale->blob_ext());
    if (!stored.ok()) return stored.status();
    can_revalidate = *stored;
  }
  if (can_revalidate) {
    fetch.if_none_match = stale->etag;
    fetch.if_modified_since = stale->last_modified;
  }
  absl::Time started = absl::Now();
  auto response = fetcher_.Fetch(fetch);
  if (metrics_) metrics_->Fetch(absl::Now() - started);
  if (!response.ok()) return response.status();
  absl::Time now = absl::Now();
  Freshness fresh = ComputeFreshness(response->cache, now, options_.default_ttl);
  if (response->status == 304) {
    if (!can_revalidate) {
      return MediaError(absl::StatusCode::kFailedPrecondition, kErrorHttpRetrieval,
                        "the origin answered 304 to an unconditional request");
    }
    MediaEntry entry = *stale;
    entry.fresh_until = fresh.fresh_until;
    if (auto s = index_.SetFreshUntil(entry, entry.fresh_until); !s.ok()) return s;
    return ResolveResult{.entry = std::move(entry), .outcome = MediaMetrics::Outcome::kRevalidated};
  }
  if (!IsAudioContentType(response->content_type)) {
    return MediaError(absl::StatusCode::kInvalidArgument, kErrorInvalidContentType,
                      absl::StrCat("the content type \"", response->content_type, "\" of ", r.url,
                                   " is not audio"));
  }
  auto pcm = DecodeAudio(response->body, response->content_type);
  if (!pcm.ok()) return pcm.status();
  auto payload = ToTelephony(*pcm, r.in.codec);
  if (!payload.ok()) return payload.status();
  MediaEntry base;
  base.fresh_until = fresh.fresh_until;
  base.etag = response->cache.etag;
  base.last_modified = response->cache.last_modified;
  auto entry = Store(r, *payload, fresh.store ? MediaKind::kUrl : MediaKind::kTransient,
                     fresh.store ? stale : std::nullopt);
  if (!entry.ok()) return entry.status();
  entry->fresh_until = base.fresh_until;
  entry->etag = base.etag;
  entry->last_modified = base.last_modified;
  if (auto s = index_.Put(*entry); !s.ok()) return s;
  return ResolveResult{.entry = std::move(*entry), .outcome = MediaMetrics::Outcome::kMiss};
}

absl::StatusOr<ResolveResult> MediaService::ProduceSpeech(const Request& r) {
  absl::Time started = absl::Now();
  auto pcm = tts_.Synthesize(r.in.speech->text, r.voice);
  if (metrics_) metrics_->Synthesis(absl::Now() - started);
  if (!pcm.ok()) return pcm.status();
  auto payload = ToTelephony(*pcm, r.in.codec);
  if (!payload.ok()) return payload.status();
  auto entry = Store(r, *payload, MediaKind::kSpeech, std::nullopt);
  if (!entry.ok()) return entry.status();
  if (auto s = index_.Put(*entry); !s.ok()) return s;
  return ResolveResult{.entry = std::move(*entry), .outcome = MediaMetrics::Outcome::kMiss};
}

// Writes the blob and puts it in the LRU; the caller writes the index entry last, so that a
// failure leaves no entry pointing at nothing.
absl::StatusOr<MediaEntry> MediaService::Store(const Request& r, const std::string& payload,
                                               MediaKind kind,
                                               const std::optional<MediaEntry>& previous) {
  MediaEntry e;
  e.codec = r.in.codec;
  auto sha = blobs_.Put(payload, e.blob_ext());
  if (!sha.ok()) return sha.status();
  // A replaced entry keeps its SID, so its persistent address stays valid.
  e.sid = previous ? previous->sid : core::NewSid(core::kMediaPrefix);
  e.account_sid = r.in.account_sid;
  e.kind = kind;
  e.sha256 = *sha;
  e.size_bytes = static_cast<int64_t>(payload.size());
  e.duration_ms = G711DurationMs(e.size_bytes);
  e.created = absl::Now();
  e.request_key = kind == MediaKind::kTransient ? "" : r.hash;
  e.source = r.in.url ? r.url : r.in.speech->text.substr(0, 256);
  auto evicted = index_.AddToLru(absl::StrCat(e.sha256, ".", e.blob_ext()), e.size_bytes);
  if (!evicted.ok()) return evicted.status();
  for (const std::string& blob : *evicted) {
    auto dot = blob.rfind('.');
    if (dot != std::string::npos) RemoveBlob(blob.substr(0, dot), blob.substr(dot + 1));
  }
  if (metrics_ && !evicted->empty()) metrics_->Evicted(static_cast<int>(evicted->size()));
  return e;
}

absl::StatusOr<MediaEntry> MediaService::Get(const std::string& account, const std::string& sid) {
  if (!core::IsSid(sid, core::kMediaPrefix)) return absl::InvalidArgumentError("bad media SID");
  auto e = index_.Get(account, sid);
  if (!e.ok()) return e.status();
  if (!e->has_value()) return absl::NotFoundError(absl::StrCat("no media ", sid));
  return std::move(**e);
}

absl::StatusOr<MediaEntry> MediaService::GetBySid(const std::string& sid) {
  if (!core::IsSid(sid, core::kMediaPrefix)) return absl::NotFoundError("bad media SID");
  auto account = index_.Owner(sid);
  if (!account.ok()) return account.status();
  return Get(*account, sid);
}

absl::StatusOr<std::string> MediaService::ReadPayload(const MediaEntry& e, uint64_t offset,
                                                      std::optional<uint64_t> length) {
  auto size = static_cast<uint64_t>(e.size_bytes);
  if (offset > size) return absl::OutOfRangeError("offset past the end of the media");
  return blobs_.Read(e.sha256, e.blob_ext(), offset,
                     std::min(length.value_or(size), size - offset));
}

absl::StatusOr<MediaEntry> MediaService::StoreRecording(const RecordingInput& in) {
  if (!core::IsSid(in.account_sid, core::kAccountPrefix)) {
    return absl::InvalidArgumentError("account_sid must be an AC SID");
  }
  if (in.channels != 1 && in.channels != 2) return absl::InvalidArgumentError("channels: 1 or 2");
  G711 codec = in.format == RecordingInput::Format::kPcma ? G711::kAlaw : G711::kUlaw;
  std::string payload;
  if (in.format == RecordingInput::Format::kL16 || in.channels == 2) {
    PcmAudio pcm{.sample_rate = kTelephonyRate, .channels = in.channels};
    if (in.format == RecordingInput::Format::kL16) {
      for (size_t i = 0; i + 1 < in.audio.size(); i += 2) {
        auto s = static_cast<int16_t>(static_cast<uint8_t>(in.audio[i]) |
                                      (static_cast<uint8_t>(in.audio[i + 1]) << 8));
        pcm.samples.push_back(static_cast<float>(s) / 32768.0f);
      }
    } else {
      for (int16_t s : DecodeG711(in.audio, codec))
        pcm.samples.push_back(static_cast<float>(s) / 32768.0f);
    }
    pcm.samples.resize(pcm.frames() * pcm.channels);
    if (pcm.samples.empty())
      payload.clear();
    else {
      auto encoded = ToTelephony(pcm, codec);
      if (!encoded.ok()) return encoded.status();
      payload = std::move(*encoded);
    }
  } else {
    payload = in.audio;
  }
  if (in.trim_silence) payload = TrimSilence(payload, codec);
  MediaEntry e;
  e.codec = codec;
  auto sha = blobs_.Put(payload, e.blob_ext());
  if (!sha.ok()) return sha.status();
  e.sid = core::NewSid(core::kMediaPrefix);
  e.account_sid = in.account_sid;
  e.kind = MediaKind::kRecording;
  e.sha256 = *sha;
  e.size_bytes = static_cast<int64_t>(payload.size());
  e.duration_ms = G711DurationMs(e.size_bytes);
  e.created = absl::Now();
  e.source = in.recording_sid;
  if (auto s = index_.Put(e); !s.ok()) return s;
  return e;
}

absl::Status MediaService::Delete(const std::string& account, const std::string& sid) {
  Forget(account, sid);
  auto e = index_.Delete(account, sid);
  if (!e.ok()) return e.status();
  if (!e->has_value()) return absl::NotFoundError(absl::StrCat("no media ", sid));
  // Cached blobs may be shared by other entries and leave through the LRU; a recording's blob
  // is its own (recorded audio does not repeat byte for byte).
  if ((*e)->kind == MediaKind::kRecording) RemoveBlob((*e)->sha256, (*e)->blob_ext());
  return absl::OkStatus();
}

absl::StatusOr<int64_t> MediaService::Purge(const std::string& account) {
  if (!core::IsSid(account, core::kAccountPrefix)) {
    return absl::InvalidArgumentError("account_sid must be an AC SID");
  }
  Forget(account, "");
  return index_.Purge(account);
}

}  // namespace dialtone::media_layer

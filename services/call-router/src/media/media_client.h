// call-router's side of the media layer: the audio of Say and Play as linear samples (fetched
// once per media, shared by every call that asks, kept in a local cache), and recordings
// stored. Blocking gRPC runs on worker threads of its own, never on the SIP or RTP thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "calls/executor_commands.h"
#include "dialtone/media/v1/media_layer.grpc.pb.h"
#include "dialtone/rpc/tls_config.h"
#include "media/call_audio.h"

namespace dialtone::call_router {

// The media layer, as a call session reaches it. Thread-safe; `done` callbacks run on another
// thread.
class AudioSource {
 public:
  using AudioResult = absl::StatusOr<SharedSamples>;
  using AudioDone = std::function<void(AudioResult)>;
  virtual ~AudioSource() = default;
  // The audio of a Say (kSpeech) or Play (kAudioUrl). Errors carry the media layer's Twilio
  // codes.
  virtual void Fetch(const std::string& account_sid, const std::string& call_sid,
                     const MediaRequest& media, AudioDone done) = 0;
  // Stores 8 kHz linear audio as a recording.
  virtual void StoreRecording(const std::string& account_sid, const std::string& call_sid,
                              const std::string& recording_sid, SharedSamples audio,
                              bool trim_silence,
                              std::function<void(absl::StatusOr<media::v1::StoredMedia>)> done) = 0;
};

class MediaClient final : public AudioSource {
 public:
  struct Options {
    std::string media_layer_addr = "127.0.0.1:50052";
    rpc::TlsConfig tls;  // off: plaintext
    int threads = 4;
    size_t cache_bytes = 64u << 20;                  // decoded audio kept by media SID
    absl::Duration resolve_ttl = absl::Seconds(30);  // a Say/Play's media SID kept this long
    // The platform's own recording URLs start with this (the REST API's public base URL): a
    // Play of the call's account's own recording reads it from the media layer directly, never
    // over HTTP (the fetch policy refuses the platform's ports, and the media may need
    // credentials). Empty: every URL is fetched.
    std::string api_base_url;
    // The media SID of (account SID, recording SID); NotFound for none. Runs on a worker.
    std::function<absl::StatusOr<std::string>(const std::string&, const std::string&)>
        recording_media;
  };
  explicit MediaClient(Options options);
  ~MediaClient() override;  // finishes queued work, then joins
  MediaClient(const MediaClient&) = delete;
  MediaClient& operator=(const MediaClient&) = delete;

  // The audio of a Say (kSpeech) or Play (kAudioUrl). Concurrent asks for the same media share
  // one fetch. `done` runs on a worker thread. Errors carry the media layer's Twilio codes.
  void Fetch(const std::string& account_sid, const std::string& call_sid, const MediaRequest& media,
             AudioDone done) override;
  // Stores 8 kHz linear audio as a recording (sent as PCMU).
  void StoreRecording(const std::string& account_sid, const std::string& call_sid,
                      const std::string& recording_sid, SharedSamples audio, bool trim_silence,
                      std::function<void(absl::StatusOr<media::v1::StoredMedia>)> done) override;

  // The key two asks share: account, kind and what is said or played.
  static std::string KeyOf(const std::string& account_sid, const MediaRequest& media);
  // The recording SID when `url` is `account_sid`'s own recording under `api_base_url`
  // ({base}/2010-04-01/Accounts/{AC}/Recordings/{RE}[.wav|.mp3][?query]); empty otherwise.
  static std::string OwnRecording(const std::string& url, const std::string& api_base_url,
                                  const std::string& account_sid);

 private:
  void Submit(std::function<void()> task);
  void Worker();
  AudioResult Load(const std::string& account_sid, const std::string& call_sid,
                   const MediaRequest& media, const std::string& key);
  // The decoded audio of a stored media SID (from the cache or the media layer).
  AudioResult Read(const std::string& account_sid, const std::string& media_sid);
  SharedSamples Cached(const std::string& media_sid);
  void Keep(const std::string& media_sid, SharedSamples audio);

  Options options_;
  std::unique_ptr<media::v1::MediaLayer::Stub> stub_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // key -> asks in flight
  std::map<std::string, std::vector<AudioDone>> waiting_ ABSL_GUARDED_BY(mu_);
  // key -> media SID
  std::map<std::string, std::pair<std::string, absl::Time>> resolved_ ABSL_GUARDED_BY(mu_);
  // LRU of decoded audio by media SID.
  std::list<std::pair<std::string, SharedSamples>> lru_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::list<std::pair<std::string, SharedSamples>>::iterator> by_sid_
      ABSL_GUARDED_BY(mu_);
  size_t cached_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::thread> workers_;
};

}  // namespace dialtone::call_router

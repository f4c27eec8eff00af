// MediaClient: Resolve + ReadMedia with de-duplication and a local cache; StoreRecording.
#include "media/media_client.h"

#include <grpcpp/grpcpp.h>
#include "dialtone/audio/audio.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "dialtone/core/sid.h"
#include "dialtone/core/twilio_error.h"
#include "dialtone/rpc/client.h"
#include "dialtone/rpc/status.h"

namespace dialtone::call_router {
namespace {

namespace pb = media::v1;

std::unique_ptr<grpc::ClientContext> Deadline(int seconds) {
  return rpc::ContextWithDeadline(absl::Seconds(seconds));
}

}  // namespace

MediaClient::MediaClient(Options options)
    : options_(std::move(options)),
      stub_(pb::MediaLayer::NewStub(rpc::OpenChannel(options_.media_layer_addr, options_.tls))) {
  for (int i = 0; i < options_.threads; ++i) workers_.emplace_back([this] { Worker(); });
}

MediaClient::~MediaClient() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void MediaClient::Submit(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void MediaClient::Worker() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

std::string MediaClient::OwnRecording(const std::string& url, const std::string& api_base_url,
                                      const std::string& account_sid) {
  if (api_base_url.empty()) return "";
  std::string base = api_base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string prefix =
      absl::StrCat(base, "/2010-04-01/Accounts/", account_sid, "/Recordings/");
  if (url.compare(0, prefix.size(), prefix) != 0) return "";
  std::string rest = url.substr(prefix.size());
  rest = rest.substr(0, rest.find_first_of("?#"));
  for (const char* ext : {".wav", ".mp3"}) {
    if (absl::EndsWith(rest, ext)) rest.resize(rest.size() - 4);
  }
  return core::IsSid(rest, core::kRecordingPrefix) ? rest : "";
}

std::string MediaClient::KeyOf(const std::string& account_sid, const MediaRequest& m) {
  if (m.kind == MediaKind::kSpeech) {
    return absl::StrCat(account_sid, "|say|", m.voice, "|", m.language, "|", m.text);
  }
  return absl::StrCat(account_sid, "|play|", m.url);
}

void MediaClient::Fetch(const std::string& account_sid, const std::string& call_sid,
                        const MediaRequest& media, AudioDone done) {
  const std::string key = KeyOf(account_sid, media);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto& waiters = waiting_[key];
    waiters.push_back(std::move(done));
    if (waiters.size() > 1) return;  // a fetch of the same media is under way
  }
  Submit([this, account_sid, call_sid, media, key] {
    AudioResult result = Load(account_sid, call_sid, media, key);
    std::vector<AudioDone> waiters;
    {
      std::lock_guard<std::mutex> lock(mu_);
      waiters.swap(waiting_[key]);
      waiting_.erase(key);
    }
    for (auto& w : waiters) w(result);
  });
}

SharedSamples MediaClient::Cached(const std::string& media_sid) {
  auto it = by_sid_.find(media_sid);
  if (it == by_sid_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

void MediaClient::Keep(const std::string& media_sid, SharedSamples audio) {
  if (by_sid_.count(media_sid) != 0) return;
  lru_.emplace_front(media_sid, audio);
  by_sid_[media_sid] = lru_.begin();
  cached_bytes_ += audio->size() * sizeof(int16_t);
  while (cached_bytes_ > options_.cache_bytes && lru_.size() > 1) {
    auto& [sid, samples] = lru_.back();
    cached_bytes_ -= samples->size() * sizeof(int16_t);
    by_sid_.erase(sid);
    lru_.pop_back();
  }
}

MediaClient::AudioResult MediaClient::Load(const std::string& account_sid,
                                           const std::string& call_sid, const MediaRequest& media,
                                           const std::string& key) {
  std::string media_sid;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = resolved_.find(key);
    if (it != resolved_.end() && it->second.second > absl::Now()) {
      if (SharedSamples audio = Cached(it->second.first)) return audio;
    }
  }
  if (media.kind == MediaKind::kAudioUrl && options_.recording_media) {
    const std::string recording = OwnRecording(media.url, options_.api_base_url, account_sid);
    if (!recording.empty()) {
      auto own = options_.recording_media(account_sid, recording);
      if (absl::IsNotFound(own.status())) {  // as the public URL would answer: 404
        return core::TwilioStatus(absl::StatusCode::kNotFound, 11200,
                                  "HTTP retrieval failure: no recording " + recording);
      }
      if (!own.ok()) return own.status();
      return Read(account_sid, *own);
    }
  }
  pb::ResolveRequest req;
  req.set_account_sid(account_sid);
  req.set_call_sid(call_sid);
  req.set_codec(pb::CODEC_PCMU);
  if (media.kind == MediaKind::kSpeech) {
    req.mutable_speech()->set_text(media.text);
    req.mutable_speech()->set_voice(media.voice);
    req.mutable_speech()->set_language(media.language);
  } else {
    req.set_url(media.url);
  }
  pb::ResolveResponse resolved;
  grpc::Status s = stub_->Resolve(Deadline(20).get(), req, &resolved);
  if (!s.ok()) return rpc::FromGrpcStatus(s);
  media_sid = resolved.media().media_sid();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (resolved_.size() > 10000) resolved_.clear();
    resolved_[key] = {media_sid, absl::Now() + options_.resolve_ttl};
  }
  return Read(account_sid, media_sid);
}

MediaClient::AudioResult MediaClient::Read(const std::string& account_sid,
                                           const std::string& media_sid) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (SharedSamples audio = Cached(media_sid)) return audio;
  }
  pb::ReadMediaRequest read;
  read.set_account_sid(account_sid);
  read.set_media_sid(media_sid);
  auto ctx = Deadline(20);
  auto reader = stub_->ReadMedia(ctx.get(), read);
  pb::MediaChunk chunk;
  std::string bytes;
  pb::Codec codec = pb::CODEC_PCMU;
  bool first = true;
  while (reader->Read(&chunk)) {
    if (first) codec = chunk.codec();
    first = false;
    bytes += chunk.data();
  }
  grpc::Status s = reader->Finish();
  if (!s.ok()) return rpc::FromGrpcStatus(s);
  auto audio = std::make_shared<Samples>(
      audio::DecodeG711(bytes, codec == pb::CODEC_PCMA ? audio::G711::kAlaw : audio::G711::kUlaw));
  std::lock_guard<std::mutex> lock(mu_);
  Keep(media_sid, audio);
  return SharedSamples(audio);
}

void MediaClient::StoreRecording(const std::string& account_sid, const std::string& call_sid,
                                 const std::string& recording_sid, SharedSamples audio,
                                 bool trim_silence,
                                 std::function<void(absl::StatusOr<pb::StoredMedia>)> done) {
  Submit([this, account_sid, call_sid, recording_sid, audio, trim_silence, done] {
    pb::StoredMedia stored;
    auto ctx = Deadline(60);
    auto writer = stub_->StoreRecording(ctx.get(), &stored);
    pb::RecordingFrame frame;
    auto* h = frame.mutable_header();
    h->set_account_sid(account_sid);
    h->set_call_sid(call_sid);
    h->set_recording_sid(recording_sid);
    h->set_codec(pb::CODEC_PCMU);
    h->set_channels(1);
    h->set_trim_silence(trim_silence);
    bool ok = writer->Write(frame);
    constexpr size_t kChunk = 16000;  // two seconds a frame
    for (size_t at = 0; ok && at < audio->size(); at += kChunk) {
      const size_t end = std::min(audio->size(), at + kChunk);
      pb::RecordingFrame data;
      data.set_audio(audio::EncodeG711(
          std::vector<int16_t>(audio->begin() + at, audio->begin() + end), audio::G711::kUlaw));
      ok = writer->Write(data);
    }
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    if (!s.ok()) return done(rpc::FromGrpcStatus(s));
    done(stored);
  });
}

}  // namespace dialtone::call_router

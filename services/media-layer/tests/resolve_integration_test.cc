// Resolve against the real Redis and a local origin that counts its requests: hits, misses,
// revalidation, no-store, single flight, conversion, TTS, the HTTP addresses and the LRU.
#include <catch2/catch.hpp>

#include <sndfile.h>

#include <future>
#include <thread>

#include "media_test_support.h"

using namespace dialtone::media_layer;
using namespace dialtone::media_layer::test;
using Outcome = MediaMetrics::Outcome;

namespace {

std::string Wav44kStereo(double seconds) {
  return Tone(SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, seconds);
}

bool HasHeader(const HttpResult& r, const std::string& header) {
  return r.headers.find(header) != std::string::npos;
}

}  // namespace

TEST_CASE("The first resolve misses and fetches once, and the second hits without a request") {
  Origin origin;
  // With the in-process memo of fresh entries, and without it (every hit reads Redis).
  auto local_ttl = GENERATE(absl::Seconds(1), absl::ZeroDuration());
  Harness h({.local_ttl = local_ttl});
  origin.Put("a.wav", Wav44kStereo(1.0));
  auto first = h.ResolveUrl(origin.Url("a.wav?cc=max-age%3D600"));
  REQUIRE(first.ok());
  CHECK(first->outcome == Outcome::kMiss);
  CHECK(origin.Requests("a.wav") == 1);
  auto second = h.ResolveUrl(origin.Url("a.wav?cc=max-age%3D600"));
  REQUIRE(second.ok());
  CHECK(second->outcome == Outcome::kHit);
  CHECK(second->entry.sid == first->entry.sid);
  CHECK(origin.Requests("a.wav") == 1);
  CHECK(h.service.Address(first->entry) ==
        "http://127.0.0.1:8081/v1/Media/" + first->entry.sid + ".wav");
  // The other law is another cache entry.
  auto alaw = h.ResolveUrl(origin.Url("a.wav?cc=max-age%3D600"), G711::kAlaw);
  REQUIRE(alaw.ok());
  CHECK(alaw->outcome == Outcome::kMiss);
  CHECK(alaw->entry.sid != first->entry.sid);
}

TEST_CASE("An expired entry is revalidated: a 304 keeps the blob, a 200 replaces it") {
  Origin origin;
  Harness h;
  origin.Put("r.wav", Wav44kStereo(1.0));
  std::string url = origin.Url("r.wav?cc=max-age%3D1");
  auto first = h.ResolveUrl(url);
  REQUIRE(first.ok());
  CHECK(first->outcome == Outcome::kMiss);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto revalidated = h.ResolveUrl(url);
  REQUIRE(revalidated.ok());
  CHECK(revalidated->outcome == Outcome::kRevalidated);
  CHECK(revalidated->entry.sha256 == first->entry.sha256);
  CHECK(revalidated->entry.sid == first->entry.sid);
  CHECK(origin.Requests("r.wav") == 2);
  CHECK(origin.RequestsJson().find("if-none-match") != std::string::npos);
  // Fresh again for a second: a hit.
  CHECK(h.ResolveUrl(url)->outcome == Outcome::kHit);
  CHECK(origin.Requests("r.wav") == 2);

  origin.Put("r.wav", Wav44kStereo(2.0));  // new content, new ETag
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto replaced = h.ResolveUrl(url);
  REQUIRE(replaced.ok());
  CHECK(replaced->outcome == Outcome::kMiss);
  CHECK(replaced->entry.sid == first->entry.sid);  // the address stays
  CHECK(replaced->entry.sha256 != first->entry.sha256);
  CHECK(std::abs(replaced->entry.duration_ms - 2000) <= 20);
  CHECK(origin.Requests("r.wav") == 3);
}

TEST_CASE("no-cache revalidates every time, and Expires in the past is stale") {
  Origin origin;
  Harness h;
  origin.Put("nc.wav", Wav44kStereo(0.5));
  REQUIRE(h.ResolveUrl(origin.Url("nc.wav?cc=no-cache"))->outcome == Outcome::kMiss);
  CHECK(h.ResolveUrl(origin.Url("nc.wav?cc=no-cache"))->outcome == Outcome::kRevalidated);
  CHECK(h.ResolveUrl(origin.Url("nc.wav?cc=no-cache"))->outcome == Outcome::kRevalidated);
  CHECK(origin.Requests("nc.wav") == 3);
  std::string old = "expires=Thu,%2001%20Jan%201970%2000:00:00%20GMT";
  REQUIRE(h.ResolveUrl(origin.Url("nc.wav?" + old))->outcome == Outcome::kMiss);
  CHECK(h.ResolveUrl(origin.Url("nc.wav?" + old))->outcome == Outcome::kRevalidated);
}

TEST_CASE("no-store media are never cached, yet served at their address") {
  Origin origin;
  Harness h;
  origin.Put("ns.wav", Wav44kStereo(0.5));
  auto first = h.ResolveUrl(origin.Url("ns.wav?cc=no-store"));
  REQUIRE(first.ok());
  auto second = h.ResolveUrl(origin.Url("ns.wav?cc=no-store"));
  REQUIRE(second.ok());
  CHECK(first->outcome == Outcome::kMiss);
  CHECK(second->outcome == Outcome::kMiss);
  CHECK(first->entry.sid != second->entry.sid);
  CHECK(origin.Requests("ns.wav") == 2);
  auto r = h.redis->Command({"KEYS", absl::StrCat("media:{", h.account, "}:req:*")});
  REQUIRE(r.ok());
  CHECK(r->elements.empty());
  CHECK(Http(h.Address(first->entry.sid)).status == 200);
}

TEST_CASE("20 concurrent resolves of one URL make one origin request") {
  Origin origin;
  Harness h;
  origin.Put("c.wav", Wav44kStereo(1.0));
  std::string url = origin.Url("c.wav?delay=0.5");
  std::vector<std::future<absl::StatusOr<ResolveResult>>> calls;
  for (int i = 0; i < 20; ++i) {
    calls.push_back(std::async(std::launch::async, [&] { return h.ResolveUrl(url); }));
  }
  int misses = 0;
  std::set<std::string> sids;
  for (auto& c : calls) {
    auto r = c.get();
    REQUIRE(r.ok());
    misses += r->outcome == Outcome::kMiss;
    sids.insert(r->entry.sid);
  }
  CHECK(misses == 1);
  CHECK(sids.size() == 1);
  CHECK(origin.Requests("c.wav") == 1);
}

TEST_CASE("Served media decode as 8 kHz mono G.711 within 20 ms of WAV, MP3 and OGG sources") {
  Origin origin;
  Harness h;
  struct Source {
    const char* name;
    std::string bytes;
    double seconds;
  };
  std::vector<Source> sources = {
      {"s.wav", Wav44kStereo(3.3), 3.3},
      {"s.mp3", Tone(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 44100, 2, 2.7), 2.7},
      {"s.ogg", Tone(SF_FORMAT_OGG | SF_FORMAT_VORBIS, 48000, 2, 4.1), 4.1},
      {"s.flac", Tone(SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 16000, 1, 1.9), 1.9},
  };
  for (auto& s : sources) {
    INFO(s.name);
    origin.Put(s.name, s.bytes);
    for (G711 law : {G711::kUlaw, G711::kAlaw}) {
      auto r = h.ResolveUrl(origin.Url(s.name), law);
      REQUIRE(r.ok());
      HttpResult wav = Http(h.Address(r->entry.sid));
      REQUIRE(wav.status == 200);
      SF_INFO info = test::Info(wav.body);
      CHECK(info.samplerate == 8000);
      CHECK(info.channels == 1);
      CHECK((info.format & SF_FORMAT_SUBMASK) ==
            (law == G711::kUlaw ? SF_FORMAT_ULAW : SF_FORMAT_ALAW));
      double ms = info.frames * 1000.0 / info.samplerate;
      CHECK(std::abs(ms - s.seconds * 1000) <= 20);
      CHECK(std::abs(r->entry.duration_ms - s.seconds * 1000) <= 20);
    }
  }
}

TEST_CASE("The HTTP address serves WAV and raw G.711 with ETag, Range and HEAD") {
  Origin origin;
  Harness h;
  origin.Put("h.wav", Wav44kStereo(1.0));
  auto r = h.ResolveUrl(origin.Url("h.wav"));
  REQUIRE(r.ok());
  HttpResult ulaw = Http(h.Address(r->entry.sid, "ulaw"));
  CHECK(ulaw.status == 200);
  CHECK(static_cast<int64_t>(ulaw.body.size()) == r->entry.size_bytes);
  CHECK(HasHeader(ulaw, "Content-Type: audio/basic"));
  HttpResult alaw = Http(h.Address(r->entry.sid, "alaw"));
  CHECK(alaw.body.size() == ulaw.body.size());
  CHECK(alaw.body != ulaw.body);

  HttpResult wav = Http(h.Address(r->entry.sid));
  auto etag_at = wav.headers.find("ETag: ");
  REQUIRE(etag_at != std::string::npos);
  std::string etag = wav.headers.substr(etag_at + 6, wav.headers.find('\r', etag_at) - etag_at - 6);
  CHECK(Http(h.Address(r->entry.sid), {"If-None-Match: " + etag}).status == 304);

  HttpResult part = Http(h.Address(r->entry.sid), {"Range: bytes=58-157"});
  CHECK(part.status == 206);
  CHECK(part.body == wav.body.substr(58, 100));
  CHECK(HasHeader(part, "Content-Range: bytes 58-157/" + std::to_string(wav.body.size())));
  CHECK(Http(h.Address(r->entry.sid), {"Range: bytes=999999-"}).status == 416);

  HttpResult head = Http(h.Address(r->entry.sid), {}, true);
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(HasHeader(head, "Content-Length: " + std::to_string(wav.body.size())));

  CHECK(Http(h.Address(dialtone::core::NewSid("ME"))).status == 404);
  CHECK(Http(h.Address(r->entry.sid, "mp3")).status == 404);
}

TEST_CASE("TTS of a sentence yields speech of plausible length, cached by voice and language") {
  Harness h;
  std::string text = "Hello, and thank you for calling. Your call is important to us.";
  auto first = h.Say(text, "alice", "en-US");
  REQUIRE(first.ok());
  CHECK(first->outcome == Outcome::kMiss);
  // About 12 words: a couple of seconds of speech, not silence and not minutes.
  CHECK(first->entry.duration_ms > 2000);
  CHECK(first->entry.duration_ms < 8000);
  auto again = h.Say(text, "alice", "en-US");
  REQUIRE(again.ok());
  CHECK(again->outcome == Outcome::kHit);
  CHECK(again->entry.sid == first->entry.sid);
  auto man = h.Say(text, "man", "en-US");
  REQUIRE(man.ok());
  CHECK(man->outcome == Outcome::kMiss);
  CHECK(man->entry.sha256 != first->entry.sha256);
  auto polly = h.Say("Hallo und willkommen.", "Polly.Hans", "");
  REQUIRE(polly.ok());
  CHECK(polly->entry.duration_ms > 500);
  SF_INFO info = test::Info(Http(h.Address(first->entry.sid)).body);
  CHECK(info.samplerate == 8000);
  CHECK(info.channels == 1);
}

TEST_CASE("Every supported language speaks, with a man's and a woman's voice") {
  Harness h;
  for (const std::string& language : SupportedLanguages()) {
    for (const char* voice : {"man", "woman"}) {
      INFO(language << " " << voice);
      // espeak-ng's Hebrew reads Hebrew script only.
      auto r =
          h.Say(language == "he-IL" ? "שלום עולם, מה שלומך היום" : "1 2 3 4 5", voice, language);
      REQUIRE(r.ok());
      CHECK(r->entry.duration_ms > 500);
    }
  }
  CHECK(h.Say("1 2 3", "man", "en-GB")->entry.sha256 !=
        h.Say("1 2 3", "man", "en-US")->entry.sha256);
}

TEST_CASE("Recordings are stored, read, deleted, and PurgeAccount removes every entry") {
  Origin origin;
  Harness h;
  std::vector<int16_t> pcm(16000, 0);
  for (size_t i = 4000; i < 12000; ++i)
    pcm[i] = static_cast<int16_t>(8000 * ((i / 20) % 2 ? 1 : -1));
  RecordingInput in{.account_sid = h.account,
                    .call_sid = dialtone::core::NewSid("CA"),
                    .recording_sid = dialtone::core::NewSid("RE"),
                    .format = RecordingInput::Format::kPcmu,
                    .trim_silence = true,
                    .audio = EncodeG711(pcm, G711::kUlaw)};
  auto rec = h.service.StoreRecording(in);
  REQUIRE(rec.ok());
  CHECK(std::abs(rec->duration_ms - 1000) <= 5);  // the silent half second each side is gone
  auto got = h.service.Get(h.account, rec->sid);
  REQUIRE(got.ok());
  CHECK(got->sha256 == rec->sha256);
  CHECK(Http(h.Address(rec->sid)).status == 200);

  std::string l16;
  for (int16_t s : pcm) {
    l16.push_back(static_cast<char>(s & 0xff));
    l16.push_back(static_cast<char>((s >> 8) & 0xff));
  }
  auto pcm_rec = h.service.StoreRecording(
      {.account_sid = h.account, .format = RecordingInput::Format::kL16, .audio = l16});
  REQUIRE(pcm_rec.ok());
  CHECK(pcm_rec->duration_ms == 2000);

  CHECK(h.service.Delete(h.account, rec->sid).ok());
  CHECK(h.service.Get(h.account, rec->sid).status().code() == absl::StatusCode::kNotFound);
  CHECK(Http(h.Address(rec->sid)).status == 404);
  CHECK(h.service.Delete(h.account, rec->sid).code() == absl::StatusCode::kNotFound);

  origin.Put("p.wav", Wav44kStereo(0.5));
  REQUIRE(h.ResolveUrl(origin.Url("p.wav")).ok());
  REQUIRE(h.Say("purge me").ok());
  auto purged = h.service.Purge(h.account);
  REQUIRE(purged.ok());
  CHECK(*purged == 3);  // the L16 recording, the URL and the speech
  CHECK(h.AccountKeys() == 0);
  CHECK(h.ResolveUrl(origin.Url("p.wav"))->outcome == Outcome::kMiss);
}

TEST_CASE("The size cap evicts the least recently used blobs") {
  Origin origin;
  // Each 1 s file is 8,000 bytes of G.711: the cap holds two.
  Harness h({.cache_max_bytes = 20000});
  for (const char* name : {"l1.wav", "l2.wav", "l3.wav"}) {
    origin.Put(name, Tone(SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000 + 1000 * (name[1] - '0'), 1, 1.0));
  }
  REQUIRE(h.ResolveUrl(origin.Url("l1.wav")).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(h.ResolveUrl(origin.Url("l2.wav")).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(h.ResolveUrl(origin.Url("l1.wav"))->outcome == Outcome::kHit);  // l1 now more recent
  REQUIRE(h.index.FlushTouches().ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(h.ResolveUrl(origin.Url("l3.wav")).ok());  // evicts l2
  CHECK(h.BlobCount() == 2);
  CHECK(h.ResolveUrl(origin.Url("l1.wav"))->outcome == Outcome::kHit);
  CHECK(h.ResolveUrl(origin.Url("l2.wav"))->outcome == Outcome::kMiss);
  CHECK(origin.Requests("l2.wav") == 2);
  CHECK(origin.Requests("l1.wav") == 1);
}

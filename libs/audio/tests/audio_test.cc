// Decoding, downmix, resampling, G.711 and the WAV container, on audio made in memory.
#include <catch2/catch.hpp>

#include <sndfile.h>

#include <cmath>
#include <cstring>

#include "dialtone/audio/audio.h"
#include "dialtone/audio/test_audio.h"
#include "dialtone/core/twilio_error.h"

using namespace dialtone::audio;
using dialtone::core::TwilioCodeOf;

TEST_CASE("A 44.1 kHz stereo WAV becomes 8 kHz mono mu-law of the same duration") {
  std::string wav = test::Tone(SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, 2.5);
  auto pcm = DecodeAudio(wav, "audio/wav");
  REQUIRE(pcm.ok());
  CHECK(pcm->sample_rate == 44100);
  CHECK(pcm->channels == 2);
  auto ulaw = ToTelephony(*pcm, G711::kUlaw);
  REQUIRE(ulaw.ok());
  CHECK(std::abs(static_cast<int64_t>(ulaw->size()) - 20000) <= 160);  // 2.5 s at 8 kHz, ±20 ms
}

TEST_CASE("MP3, OGG/Vorbis and FLAC decode to their duration") {
  for (int format : {SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, SF_FORMAT_OGG | SF_FORMAT_VORBIS,
                     SF_FORMAT_FLAC | SF_FORMAT_PCM_16}) {
    std::string bytes = test::Tone(format, 22050, 1, 3.0);
    auto pcm = DecodeAudio(bytes, "application/octet-stream");
    REQUIRE(pcm.ok());
    auto alaw = ToTelephony(*pcm, G711::kAlaw);
    REQUIRE(alaw.ok());
    INFO("format " << std::hex << format << " gave " << alaw->size() << " samples");
    CHECK(std::abs(static_cast<int64_t>(alaw->size()) - 24000) <= 160);
  }
}

TEST_CASE("Raw mu-law with audio/basic is taken as 8 kHz mono") {
  std::string raw(8000, static_cast<char>(0xff));
  auto pcm = DecodeAudio(raw, "audio/basic");
  REQUIRE(pcm.ok());
  CHECK(pcm->sample_rate == 8000);
  CHECK(pcm->duration_ms() == 1000);
}

TEST_CASE("Empty and corrupt audio are refused with Twilio 12300") {
  auto empty = DecodeAudio("", "audio/wav");
  CHECK(TwilioCodeOf(empty.status()) == kErrorUndecodableAudio);
  auto junk = DecodeAudio(std::string(5000, 'x'), "audio/mpeg");
  CHECK(TwilioCodeOf(junk.status()) == kErrorUndecodableAudio);
}

TEST_CASE("Downmix averages channels and Resample keeps the duration") {
  PcmAudio st{.sample_rate = 16000, .channels = 2, .samples = {0.5f, -0.5f, 1.0f, 0.0f}};
  PcmAudio mono = Downmix(st);
  REQUIRE(mono.samples.size() == 2);
  CHECK(mono.samples[0] == Approx(0.0f));
  CHECK(mono.samples[1] == Approx(0.5f));
  PcmAudio one_second{
      .sample_rate = 16000, .channels = 1, .samples = std::vector<float>(16000, 0.1f)};
  auto r = Resample(one_second, 8000);
  REQUIRE(r.ok());
  CHECK(std::abs(static_cast<int>(r->samples.size()) - 8000) <= 2);
}

TEST_CASE("G.711 round trips within the law's quantisation") {
  std::vector<int16_t> pcm = {0, 100, -100, 1000, -1000, 10000, -10000, 32000, -32000};
  for (G711 law : {G711::kUlaw, G711::kAlaw}) {
    auto back = DecodeG711(EncodeG711(pcm, law), law);
    for (size_t i = 0; i < pcm.size(); ++i) {
      CHECK(std::abs(back[i] - pcm[i]) <= std::max(16, std::abs(pcm[i]) / 16));
    }
  }
  CHECK(static_cast<uint8_t>(EncodeG711({0}, G711::kUlaw)[0]) == 0xff);
  CHECK(static_cast<uint8_t>(EncodeG711({0}, G711::kAlaw)[0]) == 0xd5);
}

TEST_CASE("TrimSilence drops quiet ends only") {
  std::vector<int16_t> pcm(100, 0);
  pcm[40] = 8000;
  pcm[60] = -8000;
  std::string trimmed = TrimSilence(EncodeG711(pcm, G711::kUlaw), G711::kUlaw);
  CHECK(trimmed.size() == 21);
}

TEST_CASE("The WAV header is read back by libsndfile as 8 kHz mono G.711") {
  std::string payload(16000, static_cast<char>(0xd5));
  std::string wav = WavHeader(G711::kAlaw, static_cast<uint32_t>(payload.size())) + payload;
  CHECK(WavHeader(G711::kAlaw, 1).size() == 58);
  auto info = test::Info(wav);
  CHECK(info.samplerate == 8000);
  CHECK(info.channels == 1);
  CHECK((info.format & SF_FORMAT_SUBMASK) == SF_FORMAT_ALAW);
  CHECK(info.frames == 16000);
}

// Decoding with libsndfile's virtual I/O, resampling with soxr, G.711 with spandsp's tables.
#include "dialtone/audio/audio.h"

#include <sndfile.h>
#include <soxr.h>
// spandsp's G.711 header needs its telephony and bit helpers first, in this order.
// clang-format off
#include <spandsp/telephony.h>
#include <spandsp/bit_operations.h>
#include <spandsp/g711.h>
// clang-format on

#include <algorithm>
#include <cmath>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "dialtone/core/twilio_error.h"

namespace dialtone::audio {
namespace {

// A read-only memory file for sf_open_virtual.
struct MemFile {
  std::string_view data;
  sf_count_t pos = 0;
};

sf_count_t MemLength(void* user) { return static_cast<MemFile*>(user)->data.size(); }
sf_count_t MemSeek(sf_count_t offset, int whence, void* user) {
  auto* f = static_cast<MemFile*>(user);
  sf_count_t base = whence == SEEK_CUR ? f->pos : whence == SEEK_END ? f->data.size() : 0;
  f->pos = std::clamp<sf_count_t>(base + offset, 0, static_cast<sf_count_t>(f->data.size()));
  return f->pos;
}
sf_count_t MemRead(void* ptr, sf_count_t count, void* user) {
  auto* f = static_cast<MemFile*>(user);
  sf_count_t n = std::min<sf_count_t>(count, static_cast<sf_count_t>(f->data.size()) - f->pos);
  if (n <= 0) return 0;
  std::memcpy(ptr, f->data.data() + f->pos, n);
  f->pos += n;
  return n;
}
sf_count_t MemWrite(const void*, sf_count_t, void*) { return 0; }
sf_count_t MemTell(void* user) { return static_cast<MemFile*>(user)->pos; }

// The media layer's error shape: the Twilio code also leads the message ("[12300] ...").
absl::Status Undecodable(const std::string& why) {
  return core::TwilioStatus(
      absl::StatusCode::kInvalidArgument, kErrorUndecodableAudio,
      absl::StrCat("[", kErrorUndecodableAudio, "] media is not playable audio: ", why));
}

std::string BaseType(std::string_view content_type) {
  std::string t(content_type.substr(0, content_type.find(';')));
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(t));
}

int16_t ToInt16(float s) {
  float v = std::clamp(s, -1.0f, 1.0f) * 32767.0f;
  // Rounded by hand: spandsp's headers redefine lrint.
  return static_cast<int16_t>(v >= 0 ? v + 0.5f : v - 0.5f);
}

}  // namespace

bool IsAudioContentType(std::string_view content_type) {
  std::string t = BaseType(content_type);
  return absl::StartsWith(t, "audio/") || t == "application/ogg" ||
         t == "application/octet-stream" || t == "video/ogg";
}

absl::StatusOr<PcmAudio> DecodeAudio(std::string_view bytes, std::string_view content_type) {
  if (bytes.empty()) return Undecodable("the body is empty");
  std::string t = BaseType(content_type);
  if (t == "audio/basic" || t == "audio/x-mulaw" || t == "audio/pcmu" || t == "audio/ulaw" ||
      t == "audio/x-alaw" || t == "audio/pcma" || t == "audio/alaw") {
    G711 codec = absl::StrContains(t, "alaw") || t == "audio/pcma" ? G711::kAlaw : G711::kUlaw;
    std::vector<int16_t> pcm = DecodeG711(bytes, codec);
    PcmAudio out{.sample_rate = kTelephonyRate, .channels = 1};
    out.samples.reserve(pcm.size());
    for (int16_t s : pcm) out.samples.push_back(static_cast<float>(s) / 32768.0f);
    return out;
  }
  SF_VIRTUAL_IO io{MemLength, MemSeek, MemRead, MemWrite, MemTell};
  MemFile file{bytes};
  SF_INFO info{};
  SNDFILE* sf = sf_open_virtual(&io, SFM_READ, &info, &file);
  if (sf == nullptr) return Undecodable(sf_strerror(nullptr));
  if (info.channels <= 0 || info.samplerate <= 0 || info.channels > 16) {
    sf_close(sf);
    return Undecodable("bad channel count or sample rate");
  }
  PcmAudio out{.sample_rate = info.samplerate, .channels = info.channels};
  // Frame counts of compressed formats are estimates: read in blocks until the end.
  std::vector<float> block(4096 * static_cast<size_t>(info.channels));
  for (;;) {
    sf_count_t n = sf_readf_float(sf, block.data(), 4096);
    if (n <= 0) break;
    out.samples.insert(out.samples.end(), block.begin(), block.begin() + n * info.channels);
  }
  int err = sf_error(sf);
  sf_close(sf);
  if (err != SF_ERR_NO_ERROR && out.samples.empty()) return Undecodable(sf_error_number(err));
  if (out.samples.empty()) return Undecodable("no audio samples");
  return out;
}

PcmAudio Downmix(const PcmAudio& in) {
  if (in.channels == 1) return in;
  PcmAudio out{.sample_rate = in.sample_rate, .channels = 1};
  int64_t frames = in.frames();
  out.samples.resize(frames);
  for (int64_t f = 0; f < frames; ++f) {
    float sum = 0;
    for (int c = 0; c < in.channels; ++c) sum += in.samples[f * in.channels + c];
    out.samples[f] = sum / static_cast<float>(in.channels);
  }
  return out;
}

absl::StatusOr<PcmAudio> Resample(const PcmAudio& mono, int rate) {
  if (mono.channels != 1) return absl::InvalidArgumentError("Resample takes mono audio");
  if (mono.sample_rate == rate) return mono;
  PcmAudio out{.sample_rate = rate, .channels = 1};
  double ratio = static_cast<double>(rate) / mono.sample_rate;
  size_t olen = static_cast<size_t>(std::llround(mono.samples.size() * ratio));
  out.samples.resize(olen + 16);
  size_t done = 0;
  soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, 0);
  soxr_error_t err =
      soxr_oneshot(mono.sample_rate, rate, 1, mono.samples.data(), mono.samples.size(), nullptr,
                   out.samples.data(), out.samples.size(), &done, &io, &q, nullptr);
  if (err != nullptr) return absl::InternalError(absl::StrCat("soxr: ", err));
  out.samples.resize(done);
  return out;
}

absl::StatusOr<std::string> ToTelephony(const PcmAudio& in, G711 codec) {
  if (in.samples.empty()) return Undecodable("no audio samples");
  auto mono = Resample(Downmix(in), kTelephonyRate);
  if (!mono.ok()) return mono.status();
  std::vector<int16_t> pcm;
  pcm.reserve(mono->samples.size());
  for (float s : mono->samples) pcm.push_back(ToInt16(s));
  return EncodeG711(pcm, codec);
}

void EncodeG711(const int16_t* pcm, size_t n, G711 codec, uint8_t* out) {
  if (codec == G711::kUlaw) {
    for (size_t i = 0; i < n; ++i) out[i] = linear_to_ulaw(pcm[i]);
  } else {
    for (size_t i = 0; i < n; ++i) out[i] = linear_to_alaw(pcm[i]);
  }
}

void DecodeG711(const uint8_t* g711, size_t n, G711 codec, int16_t* out) {
  if (codec == G711::kUlaw) {
    for (size_t i = 0; i < n; ++i) out[i] = ulaw_to_linear(g711[i]);
  } else {
    for (size_t i = 0; i < n; ++i) out[i] = alaw_to_linear(g711[i]);
  }
}

std::string EncodeG711(const std::vector<int16_t>& pcm, G711 codec) {
  std::string out(pcm.size(), '\0');
  EncodeG711(pcm.data(), pcm.size(), codec, reinterpret_cast<uint8_t*>(out.data()));
  return out;
}

std::vector<int16_t> DecodeG711(std::string_view bytes, G711 codec) {
  std::vector<int16_t> out(bytes.size());
  DecodeG711(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), codec, out.data());
  return out;
}

std::string TrimSilence(std::string_view g711, G711 codec) {
  constexpr int kThreshold = 328;  // about -40 dBFS
  std::vector<int16_t> pcm = DecodeG711(g711, codec);
  size_t begin = 0, end = pcm.size();
  while (begin < end && std::abs(pcm[begin]) < kThreshold) ++begin;
  while (end > begin && std::abs(pcm[end - 1]) < kThreshold) --end;
  return std::string(g711.substr(begin, end - begin));
}

std::string WavHeader(G711 codec, uint32_t payload_bytes) {
  std::string h;
  auto u32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) h.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  auto u16 = [&](uint16_t v) {
    h.push_back(static_cast<char>(v & 0xff));
    h.push_back(static_cast<char>(v >> 8));
  };
  h += "RIFF";
  u32(50 + payload_bytes);  // 4 (WAVE) + 26 (fmt) + 12 (fact) + 8 (data header) + payload
  h += "WAVEfmt ";
  u32(18);
  u16(codec == G711::kUlaw ? 7 : 6);  // WAVE_FORMAT_MULAW / WAVE_FORMAT_ALAW
  u16(1);
  u32(kTelephonyRate);
  u32(kTelephonyRate);  // bytes per second
  u16(1);               // block align
  u16(8);               // bits per sample
  u16(0);               // cbSize
  h += "fact";
  u32(4);
  u32(payload_bytes);  // sample frames
  h += "data";
  u32(payload_bytes);
  return h;
}

namespace {
void PutLittleEndian(std::string& out, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
}  // namespace

std::string PcmWav(const std::vector<int16_t>& samples) {
  const uint32_t data = static_cast<uint32_t>(samples.size() * 2);
  std::string out = "RIFF";
  PutLittleEndian(out, 36 + data, 4);
  out += "WAVEfmt ";
  PutLittleEndian(out, 16, 4);
  PutLittleEndian(out, 1, 2);                   // PCM
  PutLittleEndian(out, 1, 2);                   // mono
  PutLittleEndian(out, kTelephonyRate, 4);      // samples per second
  PutLittleEndian(out, kTelephonyRate * 2, 4);  // bytes per second
  PutLittleEndian(out, 2, 2);                   // block align
  PutLittleEndian(out, 16, 2);                  // bits per sample
  out += "data";
  PutLittleEndian(out, data, 4);
  out.reserve(out.size() + data);
  for (int16_t s : samples) PutLittleEndian(out, static_cast<uint16_t>(s), 2);
  return out;
}

}  // namespace dialtone::audio

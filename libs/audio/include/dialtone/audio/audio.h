// Audio for telephony, the one copy every service uses: decode (libsndfile), downmix, resample
// to 8 kHz (soxr), G.711 encode/decode (spandsp), and the WAV containers of G.711 payloads and
// of 16-bit PCM. Pure, any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace dialtone::audio {

enum class G711 { kUlaw, kAlaw };

inline constexpr int kTelephonyRate = 8000;
// Twilio's "Invalid content type" (12300): bytes that are not audio we can decode.
inline constexpr int kErrorUndecodableAudio = 12300;

// Interleaved float samples in [-1, 1].
struct PcmAudio {
  int sample_rate = 0;
  int channels = 0;
  std::vector<float> samples;
  int64_t frames() const {
    return channels > 0 ? static_cast<int64_t>(samples.size()) / channels : 0;
  }
  int64_t duration_ms() const { return sample_rate > 0 ? frames() * 1000 / sample_rate : 0; }
};

// Decodes WAV, AIFF, FLAC, OGG/Vorbis, Opus and MP3 (whatever libsndfile reads, by content), or
// headerless 8 kHz G.711 when `content_type` says so (audio/basic, audio/x-mulaw, audio/x-alaw,
// audio/pcmu, audio/pcma). Empty or undecodable bytes give InvalidArgument with Twilio 12300.
absl::StatusOr<PcmAudio> DecodeAudio(std::string_view bytes, std::string_view content_type);

// True for content types the decoder may accept (audio/*, application/ogg, and the generic
// application/octet-stream, which is sniffed).
bool IsAudioContentType(std::string_view content_type);

// Averages the channels into one.
PcmAudio Downmix(const PcmAudio& in);
// Mono in, mono out at `rate` (soxr, high quality).
absl::StatusOr<PcmAudio> Resample(const PcmAudio& mono, int rate);

// Any decoded audio -> 8 kHz mono G.711 bytes.
absl::StatusOr<std::string> ToTelephony(const PcmAudio& in, G711 codec);

std::string EncodeG711(const std::vector<int16_t>& pcm, G711 codec);
std::vector<int16_t> DecodeG711(std::string_view bytes, G711 codec);
// A packet's worth each way into the caller's buffer, without allocating (RTP): `n` samples
// from `pcm` to `out`, and `n` bytes from `g711` to `out`.
void EncodeG711(const int16_t* pcm, size_t n, G711 codec, uint8_t* out);
void DecodeG711(const uint8_t* g711, size_t n, G711 codec, int16_t* out);

// Drops leading and trailing G.711 samples quieter than about -40 dBFS (recordings' TrimSilence).
std::string TrimSilence(std::string_view g711, G711 codec);

// The 58-byte WAV header (WAVE_FORMAT_MULAW/ALAW, 8 kHz mono, fmt + fact + data chunks) of a
// payload of `payload_bytes`.
std::string WavHeader(G711 codec, uint32_t payload_bytes);

// A whole 16-bit PCM WAV file (8 kHz mono) of `samples`, as recordings download.
std::string PcmWav(const std::vector<int16_t>& samples);

}  // namespace dialtone::audio

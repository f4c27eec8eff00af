// A recording's audio as Twilio serves it at /Recordings/{Sid}.wav and .mp3: 16-bit PCM WAV or
// MP3 (LAME), 8 kHz mono, made from the G.711 the media layer stores.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace dialtone::rest_gateway {

// G.711 bytes (mu-law when `alaw` is false) to 8 kHz linear samples (spandsp's G.711, as the
// media layer and call-router decode it).
std::vector<int16_t> DecodeG711(const std::string& bytes, bool alaw);
// RIFF/WAVE, PCM 16-bit, 8 kHz, mono.
std::string PcmWav(const std::vector<int16_t>& samples);
// MPEG audio (MPEG-2.5 layer III at 8 kHz, 16 kbit/s mono).
absl::StatusOr<std::string> Mp3(const std::vector<int16_t>& samples);

}  // namespace dialtone::rest_gateway

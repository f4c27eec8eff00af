// A recording's audio as Twilio serves it at /Recordings/{Sid}.mp3: MP3 (LAME), 8 kHz mono, made
// from the G.711 the media layer stores (decoded, and written as WAV, by libs/audio).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace dialtone::rest_gateway {

// MPEG audio (MPEG-2.5 layer III at 8 kHz, 16 kbit/s mono).
absl::StatusOr<std::string> Mp3(const std::vector<int16_t>& samples);

}  // namespace dialtone::rest_gateway

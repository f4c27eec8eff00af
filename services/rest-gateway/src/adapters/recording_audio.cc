// Recording audio encodings.
#include "adapters/recording_audio.h"

#include <lame/lame.h>

namespace dialtone::rest_gateway {
absl::StatusOr<std::string> Mp3(const std::vector<int16_t>& samples) {
  lame_global_flags* lame = lame_init();
  if (lame == nullptr) return absl::InternalError("lame_init failed");
  lame_set_in_samplerate(lame, 8000);
  lame_set_out_samplerate(lame, 8000);
  lame_set_num_channels(lame, 1);
  lame_set_mode(lame, MONO);
  lame_set_brate(lame, 16);
  lame_set_write_id3tag_automatic(lame, 0);
  if (lame_init_params(lame) < 0) {
    lame_close(lame);
    return absl::InternalError("lame_init_params failed");
  }
  std::string out;
  constexpr int kChunk = 8000;
  std::vector<unsigned char> buf(static_cast<size_t>(1.25 * kChunk + 7200));
  std::vector<int16_t> chunk;
  for (size_t at = 0; at < samples.size(); at += kChunk) {
    const int n = static_cast<int>(std::min<size_t>(kChunk, samples.size() - at));
    chunk.assign(samples.begin() + at, samples.begin() + at + n);
    const int got = lame_encode_buffer(lame, chunk.data(), chunk.data(), n, buf.data(),
                                       static_cast<int>(buf.size()));
    if (got < 0) {
      lame_close(lame);
      return absl::InternalError("MP3 encoding failed");
    }
    out.append(reinterpret_cast<const char*>(buf.data()), static_cast<size_t>(got));
  }
  const int tail = lame_encode_flush(lame, buf.data(), static_cast<int>(buf.size()));
  if (tail > 0) out.append(reinterpret_cast<const char*>(buf.data()), static_cast<size_t>(tail));
  lame_close(lame);
  return out;
}

}  // namespace dialtone::rest_gateway

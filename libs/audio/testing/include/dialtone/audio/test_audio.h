// Test fixtures made at test time with libsndfile (no binaries in the repository): tones in any
// format libsndfile writes, and SF_INFO of bytes in memory.
#pragma once

#include <sndfile.h>

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace dialtone::audio::test {

struct MemFile {
  std::string data;
  sf_count_t pos = 0;
};

inline SF_VIRTUAL_IO MemIo() {
  SF_VIRTUAL_IO io;
  io.get_filelen = [](void* u) -> sf_count_t { return static_cast<MemFile*>(u)->data.size(); };
  io.seek = [](sf_count_t off, int whence, void* u) -> sf_count_t {
    auto* f = static_cast<MemFile*>(u);
    sf_count_t base = whence == SEEK_CUR ? f->pos : whence == SEEK_END ? f->data.size() : 0;
    f->pos = base + off;
    return f->pos;
  };
  io.read = [](void* p, sf_count_t n, void* u) -> sf_count_t {
    auto* f = static_cast<MemFile*>(u);
    sf_count_t left = static_cast<sf_count_t>(f->data.size()) - f->pos;
    if (n > left) n = left;
    if (n <= 0) return 0;
    std::memcpy(p, f->data.data() + f->pos, n);
    f->pos += n;
    return n;
  };
  io.write = [](const void* p, sf_count_t n, void* u) -> sf_count_t {
    auto* f = static_cast<MemFile*>(u);
    if (static_cast<size_t>(f->pos + n) > f->data.size()) f->data.resize(f->pos + n);
    std::memcpy(f->data.data() + f->pos, p, n);
    f->pos += n;
    return n;
  };
  io.tell = [](void* u) -> sf_count_t { return static_cast<MemFile*>(u)->pos; };
  return io;
}

// `seconds` of a 440 Hz tone (a 660 Hz one on the second channel) encoded as `format`.
inline std::string Tone(int format, int rate, int channels, double seconds) {
  SF_VIRTUAL_IO io = MemIo();
  MemFile f;
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* sf = sf_open_virtual(&io, SFM_WRITE, &info, &f);
  if (sf == nullptr)
    throw std::runtime_error(std::string("sndfile write: ") + sf_strerror(nullptr));
  auto frames = static_cast<sf_count_t>(rate * seconds);
  std::vector<float> buf(frames * channels);
  for (sf_count_t i = 0; i < frames; ++i) {
    for (int c = 0; c < channels; ++c) {
      buf[i * channels + c] =
          0.5f * static_cast<float>(std::sin(2 * M_PI * (440 + 220 * c) * i / rate));
    }
  }
  sf_writef_float(sf, buf.data(), frames);
  sf_close(sf);
  return f.data;
}

inline SF_INFO Info(const std::string& bytes) {
  SF_VIRTUAL_IO io = MemIo();
  MemFile f{bytes};
  SF_INFO info{};
  SNDFILE* sf = sf_open_virtual(&io, SFM_READ, &info, &f);
  if (sf == nullptr) throw std::runtime_error(std::string("sndfile read: ") + sf_strerror(nullptr));
  sf_close(sf);
  return info;
}

}  // namespace dialtone::audio::test

// Text to speech: the interface the media service depends on (cloud engines can be added
// beside it), and the local espeak-ng engine.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/audio.h"
#include "domain/voice_map.h"

namespace dialtone::media_layer {

class TtsEngine {
 public:
  virtual ~TtsEngine() = default;
  // Part of the cache key: a different engine gives different audio.
  virtual std::string name() const = 0;
  virtual absl::StatusOr<PcmAudio> Synthesize(const std::string& text, const LocalVoice& voice) = 0;
};

// espeak-ng through its library. The library keeps global state, so calls are serialised by a
// process-wide mutex; one synthesis of a sentence takes tens of milliseconds. Thread-safe.
class EspeakEngine final : public TtsEngine {
 public:
  // InternalError when espeak-ng's data cannot be loaded.
  static absl::StatusOr<std::unique_ptr<EspeakEngine>> Create();
  std::string name() const override { return "espeak-ng"; }
  absl::StatusOr<PcmAudio> Synthesize(const std::string& text, const LocalVoice& voice) override;

 private:
  explicit EspeakEngine(int sample_rate) : sample_rate_(sample_rate) {}
  int sample_rate_;
};

}  // namespace dialtone::media_layer

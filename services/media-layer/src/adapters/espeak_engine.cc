// EspeakEngine on libespeak-ng in synchronous mode.
#include <espeak-ng/speak_lib.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "adapters/tts_engine.h"
#include "domain/media_error.h"

namespace dialtone::media_layer {
namespace {

// espeak-ng is one global engine per process: its state, and the buffer its callback fills,
// are guarded by this mutex.
std::mutex& EngineMutex() {
  static std::mutex mu;
  return mu;
}

int OnSamples(short* wav, int count, espeak_EVENT* events) {
  auto* out = static_cast<std::vector<int16_t>*>(events != nullptr ? events->user_data : nullptr);
  if (out != nullptr && wav != nullptr && count > 0) out->insert(out->end(), wav, wav + count);
  return 0;
}

}  // namespace

absl::StatusOr<std::unique_ptr<EspeakEngine>> EspeakEngine::Create() {
  std::lock_guard lock(EngineMutex());
  static int rate =
      espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT);
  if (rate <= 0) return absl::InternalError("espeak-ng could not be initialised (data missing?)");
  espeak_SetSynthCallback(&OnSamples);
  return std::unique_ptr<EspeakEngine>(new EspeakEngine(rate));
}

absl::StatusOr<PcmAudio> EspeakEngine::Synthesize(const std::string& text,
                                                  const LocalVoice& voice) {
  std::vector<int16_t> pcm;
  {
    std::lock_guard lock(EngineMutex());
    // By language and gender: espeak-ng picks the voice file and a variant of that gender
    // (its voice names are file names, which do not all match the language tags).
    espeak_VOICE props{};
    props.languages = voice.engine_voice.c_str();
    props.gender = voice.gender == Gender::kMale ? 1 : 2;
    if (espeak_SetVoiceByProperties(&props) != EE_OK &&
        espeak_SetVoiceByName(voice.engine_voice.c_str()) != EE_OK) {
      return MediaError(absl::StatusCode::kInvalidArgument, kErrorSayInvalidLanguage,
                        absl::StrCat("no local voice for ", voice.language));
    }
    espeak_ERROR e = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                  espeakCHARS_UTF8, nullptr, &pcm);
    if (e != EE_OK) return absl::InternalError(absl::StrCat("espeak-ng failed (", e, ")"));
    espeak_Synchronize();
  }
  if (pcm.empty()) {
    return MediaError(absl::StatusCode::kInvalidArgument, kErrorSayInvalidText,
                      "the text gave no speech");
  }
  PcmAudio out{.sample_rate = sample_rate_, .channels = 1};
  out.samples.reserve(pcm.size());
  for (int16_t s : pcm) out.samples.push_back(static_cast<float>(s) / 32768.0f);
  return out;
}

}  // namespace dialtone::media_layer

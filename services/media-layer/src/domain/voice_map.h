// Twilio <Say> voice and language -> the nearest voice of the local engine (espeak-ng).
// Pure, any thread.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace dialtone::media_layer {

enum class Gender { kFemale, kMale };

struct LocalVoice {
  std::string language;      // Twilio's tag, canonical case: "en-US"
  std::string engine_voice;  // espeak-ng voice name: "en-us"
  Gender gender = Gender::kFemale;
  // What the engine is asked for: "en-us+f3" / "en-us+m3".
  std::string EngineName() const;
};

// `voice`: man, woman, alice, Polly.<Name>[-Neural|-Generative], Google.<lang>-<model>-<letter>,
// or empty (woman). `language`: a BCP-47 tag such as en-US; empty takes the Polly/Google voice's
// language, or en-US. An unsupported language gives InvalidArgument with Twilio 13511.
absl::StatusOr<LocalVoice> MapVoice(const std::string& voice, const std::string& language);

// Every language MapVoice accepts, canonical case ("en-US", ...).
std::vector<std::string> SupportedLanguages();

}  // namespace dialtone::media_layer

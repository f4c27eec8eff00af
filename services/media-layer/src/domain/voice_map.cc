// Tables of Twilio languages and well-known Polly/Google voices.
#include "domain/voice_map.h"

#include <map>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "domain/media_error.h"

namespace dialtone::media_layer {
namespace {

// Twilio language (lowercase) -> espeak-ng voice.
const std::map<std::string, std::string>& Languages() {
  static const auto* m = new std::map<std::string, std::string>{
      // The short codes of Twilio's man and woman voices (TwiML's default language is "en").
      {"en", "en-us"},    {"es", "es"},       {"fr", "fr-fr"},     {"de", "de"},
      {"it", "it"},       {"en-us", "en-us"}, {"en-gb", "en-gb"},  {"en-au", "en-gb"},
      {"en-ca", "en-us"}, {"en-in", "en-gb"}, {"en-ie", "en-gb"},  {"en-nz", "en-gb"},
      {"en-za", "en-gb"}, {"es-es", "es"},    {"es-mx", "es-419"}, {"es-us", "es-419"},
      {"fr-fr", "fr-fr"}, {"fr-ca", "fr-fr"}, {"fr-be", "fr-be"},  {"fr-ch", "fr-ch"},
      {"de-de", "de"},    {"de-at", "de"},    {"de-ch", "de"},     {"it-it", "it"},
      {"pt-br", "pt-br"}, {"pt-pt", "pt"},    {"nl-nl", "nl"},     {"nl-be", "nl"},
      {"da-dk", "da"},    {"sv-se", "sv"},    {"nb-no", "nb"},     {"fi-fi", "fi"},
      {"pl-pl", "pl"},    {"ru-ru", "ru"},    {"tr-tr", "tr"},     {"ja-jp", "ja"},
      {"ko-kr", "ko"},    {"cmn-cn", "cmn"},  {"zh-cn", "cmn"},    {"zh-tw", "cmn"},
      {"zh-hk", "yue"},   {"ca-es", "ca"},    {"hi-in", "hi"},     {"ar-ae", "ar"},
      {"is-is", "is"},    {"ro-ro", "ro"},    {"cy-gb", "cy"},     {"cs-cz", "cs"},
      {"el-gr", "el"},    {"hu-hu", "hu"},    {"id-id", "id"},     {"uk-ua", "uk"},
      {"vi-vn", "vi"},    {"he-il", "he"},    {"th-th", "th"}};
  return *m;
}

struct NamedVoice {
  Gender gender;
  const char* language;
};

// Amazon Polly voices Twilio offers, by name (lowercase).
const std::map<std::string, NamedVoice>& PollyVoices() {
  static const auto* m = new std::map<std::string, NamedVoice>{
      {"joanna", {Gender::kFemale, "en-US"}},   {"salli", {Gender::kFemale, "en-US"}},
      {"kendra", {Gender::kFemale, "en-US"}},   {"kimberly", {Gender::kFemale, "en-US"}},
      {"ivy", {Gender::kFemale, "en-US"}},      {"ruth", {Gender::kFemale, "en-US"}},
      {"danielle", {Gender::kFemale, "en-US"}}, {"joey", {Gender::kMale, "en-US"}},
      {"justin", {Gender::kMale, "en-US"}},     {"matthew", {Gender::kMale, "en-US"}},
      {"kevin", {Gender::kMale, "en-US"}},      {"stephen", {Gender::kMale, "en-US"}},
      {"gregory", {Gender::kMale, "en-US"}},    {"amy", {Gender::kFemale, "en-GB"}},
      {"emma", {Gender::kFemale, "en-GB"}},     {"brian", {Gender::kMale, "en-GB"}},
      {"arthur", {Gender::kMale, "en-GB"}},     {"nicole", {Gender::kFemale, "en-AU"}},
      {"olivia", {Gender::kFemale, "en-AU"}},   {"russell", {Gender::kMale, "en-AU"}},
      {"raveena", {Gender::kFemale, "en-IN"}},  {"aditi", {Gender::kFemale, "en-IN"}},
      {"geraint", {Gender::kMale, "cy-GB"}},    {"celine", {Gender::kFemale, "fr-FR"}},
      {"lea", {Gender::kFemale, "fr-FR"}},      {"mathieu", {Gender::kMale, "fr-FR"}},
      {"chantal", {Gender::kFemale, "fr-CA"}},  {"gabrielle", {Gender::kFemale, "fr-CA"}},
      {"marlene", {Gender::kFemale, "de-DE"}},  {"vicki", {Gender::kFemale, "de-DE"}},
      {"hans", {Gender::kMale, "de-DE"}},       {"daniel", {Gender::kMale, "de-DE"}},
      {"conchita", {Gender::kFemale, "es-ES"}}, {"lucia", {Gender::kFemale, "es-ES"}},
      {"enrique", {Gender::kMale, "es-ES"}},    {"sergio", {Gender::kMale, "es-ES"}},
      {"mia", {Gender::kFemale, "es-MX"}},      {"andres", {Gender::kMale, "es-MX"}},
      {"penelope", {Gender::kFemale, "es-US"}}, {"lupe", {Gender::kFemale, "es-US"}},
      {"miguel", {Gender::kMale, "es-US"}},     {"carla", {Gender::kFemale, "it-IT"}},
      {"bianca", {Gender::kFemale, "it-IT"}},   {"giorgio", {Gender::kMale, "it-IT"}},
      {"adriano", {Gender::kMale, "it-IT"}},    {"camila", {Gender::kFemale, "pt-BR"}},
      {"vitoria", {Gender::kFemale, "pt-BR"}},  {"ricardo", {Gender::kMale, "pt-BR"}},
      {"ines", {Gender::kFemale, "pt-PT"}},     {"cristiano", {Gender::kMale, "pt-PT"}},
      {"lotte", {Gender::kFemale, "nl-NL"}},    {"ruben", {Gender::kMale, "nl-NL"}},
      {"mizuki", {Gender::kFemale, "ja-JP"}},   {"takumi", {Gender::kMale, "ja-JP"}},
      {"seoyeon", {Gender::kFemale, "ko-KR"}},  {"zhiyu", {Gender::kFemale, "cmn-CN"}},
      {"tatyana", {Gender::kFemale, "ru-RU"}},  {"maxim", {Gender::kMale, "ru-RU"}},
      {"astrid", {Gender::kFemale, "sv-SE"}},   {"liv", {Gender::kFemale, "nb-NO"}},
      {"naja", {Gender::kFemale, "da-DK"}},     {"mads", {Gender::kMale, "da-DK"}},
      {"ewa", {Gender::kFemale, "pl-PL"}},      {"maja", {Gender::kFemale, "pl-PL"}},
      {"jacek", {Gender::kMale, "pl-PL"}},      {"jan", {Gender::kMale, "pl-PL"}},
      {"filiz", {Gender::kFemale, "tr-TR"}},    {"carmen", {Gender::kFemale, "ro-RO"}},
      {"dora", {Gender::kFemale, "is-IS"}},     {"karl", {Gender::kMale, "is-IS"}},
      {"zeina", {Gender::kFemale, "ar-AE"}}};
  return *m;
}

// "en-us" -> "en-US", "cmn-cn" -> "cmn-CN".
std::string Canonical(const std::string& lower) {
  std::vector<std::string> parts = absl::StrSplit(lower, '-');
  for (size_t i = 1; i < parts.size(); ++i) parts[i] = absl::AsciiStrToUpper(parts[i]);
  return absl::StrJoin(parts, "-");
}

}  // namespace

std::string LocalVoice::EngineName() const {
  return absl::StrCat(engine_voice, gender == Gender::kMale ? "+m3" : "+f3");
}

std::vector<std::string> SupportedLanguages() {
  std::vector<std::string> out;
  for (const auto& [tag, engine] : Languages()) out.push_back(Canonical(tag));
  return out;
}

absl::StatusOr<LocalVoice> MapVoice(const std::string& voice, const std::string& language) {
  std::string v = absl::AsciiStrToLower(absl::StripAsciiWhitespace(voice));
  Gender gender = Gender::kFemale;
  std::string voice_language;
  if (v == "man") {
    gender = Gender::kMale;
  } else if (v.empty() || v == "woman" || v == "alice") {
    gender = Gender::kFemale;
  } else if (absl::StartsWith(v, "polly.")) {
    std::string name = v.substr(6);
    name = name.substr(0, name.find('-'));  // Polly.Joanna-Neural
    if (auto it = PollyVoices().find(name); it != PollyVoices().end()) {
      gender = it->second.gender;
      voice_language = absl::AsciiStrToLower(it->second.language);
    }
  } else if (absl::StartsWith(v, "google.")) {
    // Google.en-US-Standard-C / Google.en-US-Neural2-J / Google.en-US-Chirp3-HD-Aoede
    std::vector<std::string> parts = absl::StrSplit(v.substr(7), '-');
    if (parts.size() >= 2) voice_language = absl::StrCat(parts[0], "-", parts[1]);
    // Google's US English letters: A, B, D, I, J are male voices; the others female.
    if (parts.size() >= 4 && parts.back().size() == 1 && absl::StrContains("abdij", parts.back())) {
      gender = Gender::kMale;
    }
  } else {
    return MediaError(absl::StatusCode::kInvalidArgument, kErrorSayInvalidLanguage,
                      absl::StrCat("unsupported voice \"", voice, "\""));
  }
  std::string lang = absl::AsciiStrToLower(absl::StripAsciiWhitespace(language));
  if (lang.empty()) lang = voice_language.empty() ? "en-us" : voice_language;
  auto it = Languages().find(lang);
  if (it == Languages().end()) {
    return MediaError(absl::StatusCode::kInvalidArgument, kErrorSayInvalidLanguage,
                      absl::StrCat("unsupported language \"", language, "\" for <Say>"));
  }
  return LocalVoice{.language = Canonical(lang), .engine_voice = it->second, .gender = gender};
}

}  // namespace dialtone::media_layer

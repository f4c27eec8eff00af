// Twilio voices and languages -> local voices.
#include <catch2/catch.hpp>

#include "domain/media_error.h"
#include "domain/voice_map.h"

using namespace dialtone::media_layer;

TEST_CASE("man, woman and alice pick the gender, and language picks the espeak voice") {
  auto man = MapVoice("man", "en-GB");
  REQUIRE(man.ok());
  CHECK(man->EngineName() == "en-gb+m3");
  CHECK(man->language == "en-GB");
  CHECK(MapVoice("woman", "")->EngineName() == "en-us+f3");
  CHECK(MapVoice("alice", "es-ES")->EngineName() == "es+f3");
  CHECK(MapVoice("", "fr-fr")->EngineName() == "fr-fr+f3");
  CHECK(MapVoice("alice", "de-DE")->EngineName() == "de+f3");
  // TwiML's own default for man and woman: <Say> without a language is "en".
  CHECK(MapVoice("man", "en")->EngineName() == "en-us+m3");
  CHECK(MapVoice("woman", "fr")->EngineName() == "fr-fr+f3");
}

TEST_CASE("Polly and Google voices map to the nearest local voice and their language") {
  auto matthew = MapVoice("Polly.Matthew-Neural", "");
  REQUIRE(matthew.ok());
  CHECK(matthew->EngineName() == "en-us+m3");
  CHECK(MapVoice("Polly.Amy", "")->EngineName() == "en-gb+f3");
  CHECK(MapVoice("Polly.Hans", "")->EngineName() == "de+m3");
  CHECK(MapVoice("Polly.Lea", "fr-FR")->EngineName() == "fr-fr+f3");
  CHECK(MapVoice("Google.en-US-Standard-C", "")->EngineName() == "en-us+f3");
  CHECK(MapVoice("Google.en-US-Neural2-J", "")->EngineName() == "en-us+m3");
  CHECK(MapVoice("Google.fr-FR-Standard-A", "")->language == "fr-FR");
}

TEST_CASE("An unsupported language is refused with Twilio 13511") {
  auto r = MapVoice("alice", "xx-YY");
  REQUIRE_FALSE(r.ok());
  CHECK(TwilioCode(r.status()) == kErrorSayInvalidLanguage);
  CHECK_THAT(std::string(r.status().message()), Catch::Contains("xx-YY"));
}

// Sealer: AES-256-GCM round trips, and every way a sealed value must refuse to open.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "absl/strings/escaping.h"
#include "dialtone/secrets/sealer.h"

using dialtone::secrets::Sealer;

namespace {

const std::string kKeyA(32, 'a');
const std::string kKeyB(32, 'b');

Sealer Make(const std::string& raw) {
  auto s = Sealer::FromRawKey(raw);
  REQUIRE(s.ok());
  return *s;
}

std::string Raw(const std::string& sealed) {
  std::string raw;
  REQUIRE(absl::Base64Unescape(sealed.substr(Sealer::kPrefix.size()), &raw));
  return raw;
}

std::string Pack(const std::string& raw) { return "v1:" + absl::Base64Escape(raw); }

std::string Hex(const char* hex) { return absl::HexStringToBytes(hex); }

}  // namespace

TEST_CASE("Sealer: a sealed token opens to the same token") {
  Sealer s = Make(kKeyA);
  auto sealed = s.Seal("0123456789abcdef0123456789abcdef", "AC1");
  REQUIRE(sealed.ok());
  CHECK(Sealer::IsSealed(*sealed));
  CHECK(sealed->find("0123456789abcdef") == std::string::npos);
  auto opened = s.Open(*sealed, "AC1");
  REQUIRE(opened.ok());
  CHECK(*opened == "0123456789abcdef0123456789abcdef");
}

TEST_CASE("Sealer: the empty string round-trips too") {
  Sealer s = Make(kKeyA);
  auto sealed = s.Seal("");
  REQUIRE(sealed.ok());
  auto opened = s.Open(*sealed);
  REQUIRE(opened.ok());
  CHECK(opened->empty());
}

TEST_CASE("Sealer: the format is v1: then base64 of nonce, ciphertext and a 16-byte tag") {
  auto sealed = Make(kKeyA).Seal("token");
  REQUIRE(sealed.ok());
  CHECK(sealed->rfind("v1:", 0) == 0);
  CHECK(Raw(*sealed).size() == 12 + 5 + 16);
}

TEST_CASE("Sealer: is AES-256-GCM (test case 14 of the GCM specification)") {
  // K = 0^256, IV = 0^96, P = 0^128 -> C and T as published by McGrew and Viega.
  Sealer s = Make(std::string(32, '\0'));
  std::string raw = std::string(12, '\0') + Hex("cea7403d4d606b6e074ec5d3baf39d18") +
                    Hex("d0d1c8a799996bf0265b98b5d48ab919");
  auto opened = s.Open(Pack(raw));
  REQUIRE(opened.ok());
  CHECK(*opened == std::string(16, '\0'));
}

TEST_CASE("Sealer: sealing the same token twice uses two nonces") {
  Sealer s = Make(kKeyA);
  std::set<std::string> nonces;
  std::set<std::string> values;
  for (int i = 0; i < 100; ++i) {
    auto sealed = s.Seal("same token");
    REQUIRE(sealed.ok());
    values.insert(*sealed);
    nonces.insert(Raw(*sealed).substr(0, 12));
  }
  CHECK(values.size() == 100);
  CHECK(nonces.size() == 100);
}

TEST_CASE("Sealer: a changed byte anywhere (nonce, ciphertext, tag) does not open") {
  Sealer s = Make(kKeyA);
  auto sealed = s.Seal("0123456789abcdef0123456789abcdef", "AC1");
  REQUIRE(sealed.ok());
  std::string raw = Raw(*sealed);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    std::string bad = raw;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    auto opened = s.Open(Pack(bad), "AC1");
    INFO("byte " << i);
    CHECK(absl::IsPermissionDenied(opened.status()));
  }
  // Cut short: the tag no longer checks either.
  CHECK(!s.Open(Pack(raw.substr(0, raw.size() - 1)), "AC1").ok());
}

TEST_CASE("Sealer: another key does not open a sealed value") {
  auto sealed = Make(kKeyA).Seal("secret", "AC1");
  REQUIRE(sealed.ok());
  auto opened = Make(kKeyB).Open(*sealed, "AC1");
  CHECK(absl::IsPermissionDenied(opened.status()));
}

TEST_CASE("Sealer: a value sealed for one owner does not open for another") {
  Sealer s = Make(kKeyA);
  auto sealed = s.Seal("secret", "AC1");
  REQUIRE(sealed.ok());
  CHECK(absl::IsPermissionDenied(s.Open(*sealed, "AC2").status()));
  CHECK(absl::IsPermissionDenied(s.Open(*sealed).status()));
}

TEST_CASE("Sealer: plaintext and malformed values are told apart from sealed ones") {
  Sealer s = Make(kKeyA);
  CHECK_FALSE(Sealer::IsSealed("0123456789abcdef0123456789abcdef"));
  CHECK(absl::IsInvalidArgument(s.Open("0123456789abcdef0123456789abcdef").status()));
  CHECK(absl::IsInvalidArgument(s.Open("v1:not base64!").status()));
  CHECK(absl::IsInvalidArgument(s.Open("v1:" + absl::Base64Escape("short")).status()));
}

TEST_CASE("Sealer: a key is 32 bytes in base64, as openssl rand -base64 32 prints it") {
  std::string b64 = absl::Base64Escape(kKeyA);
  auto from_b64 = Sealer::FromBase64Key(b64 + "\n");  // a secret file's newline is fine
  REQUIRE(from_b64.ok());
  auto sealed = from_b64->Seal("x");
  REQUIRE(sealed.ok());
  CHECK(Make(kKeyA).Open(*sealed).ok());
}

TEST_CASE("Sealer: a malformed key is refused without repeating it") {
  // 64 hex digits are valid base64 too, but decode to 48 bytes.
  const std::string hex(64, 'f');
  auto hex_key = Sealer::FromBase64Key(hex);
  REQUIRE(absl::IsInvalidArgument(hex_key.status()));
  CHECK(hex_key.status().message().find("48 bytes") != std::string::npos);
  CHECK(hex_key.status().message().find(hex) == std::string::npos);

  auto short_key = Sealer::FromBase64Key(absl::Base64Escape(std::string(16, 'k')));
  CHECK(absl::IsInvalidArgument(short_key.status()));

  auto not_b64 = Sealer::FromBase64Key("CHANGE_ME!");
  REQUIRE(absl::IsInvalidArgument(not_b64.status()));
  CHECK(not_b64.status().message().find("CHANGE_ME") == std::string::npos);

  CHECK(absl::IsInvalidArgument(Sealer::FromBase64Key("").status()));
}

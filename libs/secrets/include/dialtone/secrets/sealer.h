// Sealer: secrets (auth tokens) encrypted at rest with AES-256-GCM under one 32-byte key.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace dialtone::secrets {

// Seals short secrets for storage and opens them again. A sealed value is text:
//
//   v1:<base64(nonce[12] | ciphertext | tag[16])>
//
// with a fresh random nonce per value, so sealing one secret twice gives two values, and a
// plaintext column can hold sealed and not-yet-sealed values side by side (IsSealed tells them
// apart). `context` (e.g. the row's key) is authenticated with the value: a sealed value copied
// onto another row does not open there. Opening checks the tag: a changed byte or another key
// fails. "v1" names the format; a later key rotation can try each key in turn (GCM tells a
// wrong key from the right one). Immutable after construction: any thread may use it.
//
//   auto sealer = Sealer::FromBase64Key(getenv("DIALTONE_SECRETS_KEY"));
//   std::string stored = *sealer->Seal(token, account_sid);
//   std::string token = *sealer->Open(stored, account_sid);
class Sealer {
 public:
  static constexpr std::size_t kKeySize = 32;
  static constexpr absl::string_view kPrefix = "v1:";

  // The key as base64 (standard alphabet, padding optional) of exactly 32 bytes, as
  // `openssl rand -base64 32` prints it. The error never repeats the value.
  static absl::StatusOr<Sealer> FromBase64Key(absl::string_view base64_key);
  // The 32 raw key bytes.
  static absl::StatusOr<Sealer> FromRawKey(absl::string_view raw_key);

  Sealer(const Sealer&) = default;
  Sealer& operator=(const Sealer&) = default;
  ~Sealer();

  // Internal only when OpenSSL fails (no randomness).
  absl::StatusOr<std::string> Seal(absl::string_view plaintext,
                                   absl::string_view context = {}) const;
  // InvalidArgument for a value that is not sealed or is malformed; PermissionDenied when the
  // tag does not check (another key, another context, or a changed byte).
  absl::StatusOr<std::string> Open(absl::string_view sealed, absl::string_view context = {}) const;

  // True when `value` has the sealed format's prefix (it may still fail to open).
  static bool IsSealed(absl::string_view value);

 private:
  explicit Sealer(absl::string_view raw_key);

  std::array<std::uint8_t, kKeySize> key_{};
};

}  // namespace dialtone::secrets

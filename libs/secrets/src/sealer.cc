// Sealer: AES-256-GCM through OpenSSL's EVP interface.
#include "dialtone/secrets/sealer.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace dialtone::secrets {
namespace {

constexpr std::size_t kNonceSize = 12;  // GCM's native IV size
constexpr std::size_t kTagSize = 16;

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

const unsigned char* Bytes(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

}  // namespace

absl::StatusOr<Sealer> Sealer::FromBase64Key(absl::string_view base64_key) {
  std::string raw;
  absl::string_view text = absl::StripAsciiWhitespace(base64_key);
  if (text.empty()) return absl::InvalidArgumentError("the key is empty");
  if (!absl::Base64Unescape(text, &raw)) {
    return absl::InvalidArgumentError(
        "the key is not base64 (make one with: openssl rand -base64 32)");
  }
  auto sealer = FromRawKey(raw);
  OPENSSL_cleanse(raw.data(), raw.size());
  return sealer;
}

absl::StatusOr<Sealer> Sealer::FromRawKey(absl::string_view raw_key) {
  if (raw_key.size() != kKeySize) {
    return absl::InvalidArgumentError(
        absl::StrCat("the key must be ", kKeySize, " bytes, base64-encoded; it decodes to ",
                     raw_key.size(), " bytes (make one with: openssl rand -base64 32)"));
  }
  return Sealer(raw_key);
}

Sealer::Sealer(absl::string_view raw_key) {
  std::copy(raw_key.begin(), raw_key.end(), key_.begin());
}

Sealer::~Sealer() { OPENSSL_cleanse(key_.data(), key_.size()); }

bool Sealer::IsSealed(absl::string_view value) { return absl::StartsWith(value, kPrefix); }

absl::StatusOr<std::string> Sealer::Seal(absl::string_view plaintext,
                                         absl::string_view context) const {
  // nonce | ciphertext (as long as the plaintext with GCM) | tag
  std::string out(kNonceSize + plaintext.size() + kTagSize, '\0');
  unsigned char* nonce = Bytes(out);
  unsigned char* cipher = nonce + kNonceSize;
  if (RAND_bytes(nonce, static_cast<int>(kNonceSize)) != 1)
    return absl::InternalError("no random nonce (OpenSSL)");
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  int total = 0;
  bool ok = ctx != nullptr &&
            EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce) == 1 &&
            (context.empty() || EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(context),
                                                  static_cast<int>(context.size())) == 1) &&
            EVP_EncryptUpdate(ctx.get(), cipher, &len, Bytes(plaintext),
                              static_cast<int>(plaintext.size())) == 1;
  total = len;
  ok = ok && EVP_EncryptFinal_ex(ctx.get(), cipher + total, &len) == 1;
  total += len;
  ok = ok && total == static_cast<int>(plaintext.size()) &&
       EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize),
                           cipher + total) == 1;
  if (!ok) return absl::InternalError("AES-256-GCM encryption failed (OpenSSL)");
  return absl::StrCat(kPrefix, absl::Base64Escape(out));
}

absl::StatusOr<std::string> Sealer::Open(absl::string_view sealed,
                                         absl::string_view context) const {
  if (!IsSealed(sealed)) return absl::InvalidArgumentError("not a sealed value (no v1: prefix)");
  std::string raw;
  if (!absl::Base64Unescape(sealed.substr(kPrefix.size()), &raw) ||
      raw.size() < kNonceSize + kTagSize) {
    return absl::InvalidArgumentError("malformed sealed value");
  }
  const unsigned char* nonce = Bytes(raw);
  const unsigned char* cipher = nonce + kNonceSize;
  int cipher_size = static_cast<int>(raw.size() - kNonceSize - kTagSize);
  // EVP_CTRL_GCM_SET_TAG takes a non-const pointer; it only reads the tag.
  unsigned char* tag = Bytes(raw) + kNonceSize + cipher_size;
  std::string plain(cipher_size, '\0');
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  bool ok =
      ctx != nullptr &&
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce) == 1 &&
      (context.empty() || EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(context),
                                            static_cast<int>(context.size())) == 1) &&
      EVP_DecryptUpdate(ctx.get(), Bytes(plain), &len, cipher, cipher_size) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize), tag) == 1;
  if (!ok) return absl::InternalError("AES-256-GCM decryption failed (OpenSSL)");
  int total = len;
  // The tag is checked here: nothing decrypted is returned unless it matches.
  if (EVP_DecryptFinal_ex(ctx.get(), Bytes(plain) + total, &len) != 1) {
    OPENSSL_cleanse(plain.data(), plain.size());
    return absl::PermissionDeniedError(
        "sealed value does not open: another key, another owner, or changed");
  }
  return plain;
}

}  // namespace dialtone::secrets

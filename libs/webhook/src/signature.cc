// X-Twilio-Signature: HMAC-SHA1 over the URL and the sorted POST parameters (OpenSSL).
#include "dialtone/webhook/signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "utf8.h"

namespace dialtone::webhook {
namespace {

// A code point's rank in UTF-16 code-unit order: U+E000..U+FFFF sort after every character
// encoded as a surrogate pair (whose first unit is 0xD800..0xDBFF). Bytes that are not UTF-8
// rank after everything, each by its value, so the order stays total.
std::uint32_t Utf16Rank(absl::string_view text, std::size_t* pos) {
  const std::size_t start = *pos;
  const char32_t cp = internal::NextCodePoint(text, pos);
  if (cp == internal::kInvalidCodePoint) {
    return 0x200000u + static_cast<unsigned char>(text[start]);
  }
  if (cp >= 0xE000 && cp <= 0xFFFF) return static_cast<std::uint32_t>(cp) + 0x110000u;
  return static_cast<std::uint32_t>(cp);
}

// JavaScript's default sort order (what the npm library's Object.keys(...).sort() uses).
bool Utf16Less(absl::string_view a, absl::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const std::uint32_t ra = Utf16Rank(a, &i);
    const std::uint32_t rb = Utf16Rank(b, &j);
    if (ra != rb) return ra < rb;
  }
  if (i < a.size() || j < b.size()) return j < b.size();
  return a < b;  // equal ranks only for identical text; keeps the order strict regardless
}

std::string HmacSha1Base64(absl::string_view key, absl::string_view data) {
  static constexpr unsigned char kNoKey = 0;  // HMAC() wants a non-null key even when empty
  const void* key_bytes = key.empty() ? static_cast<const void*>(&kNoKey) : key.data();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (HMAC(EVP_sha1(), key_bytes, static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest,
           &digest_len) == nullptr) {
    // HMAC-SHA1 in memory fails only when OpenSSL itself is broken: not a peer's doing.
    throw std::runtime_error("OpenSSL HMAC-SHA1 failed");
  }
  // Base64 length plus the NUL that EVP_EncodeBlock writes.
  std::string encoded(4 * ((digest_len + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()), digest,
                                static_cast<int>(digest_len));
  encoded.resize(static_cast<std::size_t>(n));
  return encoded;
}

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  // The length of a signature is public (always 28 for SHA-1); only the bytes are secret.
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string SignatureBaseString(absl::string_view url, const Params& post_params) {
  std::vector<const Params::value_type*> sorted;
  sorted.reserve(post_params.size());
  for (const auto& p : post_params) sorted.push_back(&p);
  std::sort(sorted.begin(), sorted.end(), [](const auto* x, const auto* y) {
    if (x->first != y->first) return Utf16Less(x->first, y->first);
    return Utf16Less(x->second, y->second);
  });
  // The helper libraries count a repeated identical pair once (a Set of values per name).
  sorted.erase(std::unique(sorted.begin(), sorted.end(),
                           [](const auto* x, const auto* y) { return *x == *y; }),
               sorted.end());
  std::string out(url);
  for (const auto* p : sorted) absl::StrAppend(&out, p->first, p->second);
  return out;
}

std::string ComputeTwilioSignature(absl::string_view auth_token, absl::string_view url,
                                   const Params& post_params) {
  return HmacSha1Base64(auth_token, SignatureBaseString(url, post_params));
}

bool ValidateTwilioSignature(absl::string_view auth_token, absl::string_view url,
                             const Params& post_params, absl::string_view signature) {
  bool valid = false;
  for (const std::string& candidate : SignatureUrlVariants(url)) {
    valid |=
        ConstantTimeEquals(ComputeTwilioSignature(auth_token, candidate, post_params), signature);
  }
  return valid;
}

std::vector<std::string> SignatureUrlVariants(absl::string_view url) {
  std::vector<std::string> out{std::string(url)};
  const auto add = [&out](std::string candidate) {
    if (std::find(out.begin(), out.end(), candidate) == out.end()) {
      out.push_back(std::move(candidate));
    }
  };
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == absl::string_view::npos) return out;
  const std::size_t authority_begin = scheme_end + 3;
  std::size_t authority_end = url.find_first_of("/?#", authority_begin);
  if (authority_end == absl::string_view::npos) authority_end = url.size();
  const absl::string_view authority = url.substr(authority_begin, authority_end - authority_begin);
  const std::size_t at = authority.rfind('@');
  const std::size_t host_begin = at == absl::string_view::npos ? 0 : at + 1;
  std::size_t colon = absl::string_view::npos;
  if (host_begin < authority.size() && authority[host_begin] == '[') {  // [IPv6]:port
    const std::size_t close = authority.find(']', host_begin);
    if (close == absl::string_view::npos) return out;
    if (close + 1 < authority.size() && authority[close + 1] == ':') colon = close + 1;
  } else {
    colon = authority.find(':', host_begin);
  }
  const absl::string_view before_port =
      url.substr(0, authority_begin + std::min(colon, authority.size()));
  const absl::string_view after_authority = url.substr(authority_end);
  absl::string_view port =
      colon == absl::string_view::npos ? absl::string_view() : authority.substr(colon + 1);
  add(absl::StrCat(before_port, after_authority));
  if (port.empty()) {
    // As the npm library's buildUrlWithStandardPort: 443 for https, 80 for anything else.
    port = absl::EqualsIgnoreCase(url.substr(0, scheme_end), "https") ? "443" : "80";
  }
  add(absl::StrCat(before_port, ":", port, after_authority));
  return out;
}

}  // namespace dialtone::webhook

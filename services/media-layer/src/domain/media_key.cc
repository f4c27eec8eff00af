// URL normalisation with Boost.URL; SHA-256 with OpenSSL's libcrypto.
#include "domain/media_key.h"

#include <openssl/sha.h>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "domain/media_error.h"

namespace dialtone::media_layer {
namespace {

absl::Status BadUrl(const std::string& url) {
  return MediaError(absl::StatusCode::kInvalidArgument, kErrorInvalidUrl,
                    absl::StrCat("invalid media URL \"", url, "\""));
}

const char* CodecName(G711 c) { return c == G711::kUlaw ? "pcmu" : "pcma"; }

// Length-prefixed fields, so that no two different requests concatenate to the same string.
void Field(std::string& out, std::string_view v) {
  out += std::to_string(v.size());
  out += ':';
  out.append(v);
  out += ';';
}

}  // namespace

absl::StatusOr<std::string> NormaliseUrl(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return BadUrl(url);
  boost::urls::url u(*parsed);
  std::string scheme = absl::AsciiStrToLower(std::string(u.scheme()));
  if ((scheme != "http" && scheme != "https") || u.host().empty()) return BadUrl(url);
  u.remove_fragment();
  if ((scheme == "http" && u.port() == "80") || (scheme == "https" && u.port() == "443")) {
    u.remove_port();
  }
  u.normalize();
  std::string out(u.buffer());
  // An empty path is "/" (RFC 9110 §4.2.3); set_path would reintroduce dot segments here.
  if (u.encoded_path().empty()) {
    size_t q = out.find('?', out.find("//") + 2);
    if (q == std::string::npos) q = out.size();
    out = absl::StrCat(absl::string_view(out).substr(0, q), "/", absl::string_view(out).substr(q));
  }
  return out;
}

std::string UrlRequestKey(const std::string& normalised_url, G711 codec) {
  std::string s = "url;";
  Field(s, normalised_url);
  Field(s, CodecName(codec));
  return Sha256Hex(s);
}

std::string SpeechRequestKey(const std::string& engine, const std::string& voice,
                             const std::string& language, const std::string& text, G711 codec) {
  std::string s = "say;";
  for (std::string_view f : {std::string_view(engine), std::string_view(voice),
                             std::string_view(language), std::string_view(text)}) {
    Field(s, f);
  }
  Field(s, CodecName(codec));
  return Sha256Hex(s);
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

}  // namespace dialtone::media_layer

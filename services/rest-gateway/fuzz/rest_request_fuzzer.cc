// libFuzzer target on what rest-gateway reads of a request before any handler runs: the route
// and format of the request-target, its query string, the Authorization header (HTTP Basic) and
// the form-encoded body. The input is "TARGET\nAUTHORIZATION\nBODY". None of it may crash, leak,
// hang or break the invariants checked below. Built by CMakeLists.txt here with clang; run by
// run_rest_fuzzer.sh (ctest: rest_gateway_request_fuzz).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dialtone/webhook/form_encoding.h"
#include "domain/api_route.h"
#include "domain/basic_auth.h"
#include "utf8.h"

namespace {

namespace rg = dialtone::rest_gateway;
namespace wh = dialtone::webhook;

[[noreturn]] void Violation(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "invariant broken: %s [%.*s]\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t n = bytes.size() - i < 3 ? bytes.size() - i : 3;
    uint32_t triple = 0;
    for (size_t j = 0; j < 3; ++j) {
      triple = triple << 8 | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0);
    }
    for (size_t j = 0; j < 4; ++j) {
      out.push_back(j <= n ? kAlphabet[(triple >> (18 - 6 * j)) & 63] : '=');
    }
  }
  return out;
}

// A query string or a body, as RequestContext and the handlers decode it. (Debian's Abseil has
// its own string_view, hence the conversions.)
void CheckForm(std::string_view text) {
  const absl::StatusOr<wh::Params> params = wh::FormDecode(absl::string_view(text.data(), text.size()));
  if (!params.ok()) return;
  for (const auto& [name, value] : *params) {
    if (!wh::internal::IsValidUtf8(name) || !wh::internal::IsValidUtf8(value)) {
      Violation("a decoded parameter is not UTF-8", name);
    }
  }
  // What we decode we encode (webhooks, next_page_uri) so that it decodes the same.
  const std::string encoded = wh::FormEncode(*params);
  for (const char c : encoded) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~';
    if (!plain && c != '+' && c != '%' && c != '=' && c != '&') {
      Violation("form encoding left a reserved character", encoded);
    }
  }
  const absl::StatusOr<wh::Params> again = wh::FormDecode(encoded);
  if (!again.ok()) Violation("our own encoding does not decode", encoded);
  if (*again != *params) Violation("form encoding does not round-trip", encoded);
}

void CheckTarget(std::string_view target) {
  const size_t q = target.find('?');
  const std::string_view path = target.substr(0, q);
  const rg::ResponseFormat format = rg::FormatOf(target);
  if (const std::optional<rg::ApiRoute> route = rg::ParseApiRoute(target)) {
    if (route->format != format) Violation("route and error formats differ", target);
    if (route->account_sid.empty()) Violation("a route without an account", target);
    std::string rebuilt = "/2010-04-01/Accounts/" + route->account_sid;
    for (const std::string& segment : route->resource) {
      if (segment.empty() || segment.find('/') != std::string::npos ||
          segment.find('?') != std::string::npos) {
        Violation("a path segment is empty or holds a separator", target);
      }
      rebuilt += "/" + segment;
    }
    if (path != rebuilt && path != rebuilt + ".json" && path != rebuilt + ".xml") {
      Violation("the route does not spell the path", rebuilt);
    }
  }
  if (q != std::string_view::npos) CheckForm(target.substr(q + 1));
}

void CheckAuthorization(std::string_view header) {
  const std::optional<rg::BasicCredentials> credentials = rg::ParseBasicAuth(header);
  if (!credentials) return;
  if (credentials->username.find(':') != std::string::npos) {
    Violation("a username holding ':'", credentials->username);
  }
  // What a client encodes decodes to the same credentials.
  const std::string joined = credentials->username + ":" + credentials->password;
  const std::optional<std::string> decoded = rg::DecodeBase64(Base64(joined));
  if (!decoded || *decoded != joined) Violation("base64 does not round-trip", joined);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t first = input.find('\n');
  CheckTarget(input.substr(0, first));
  if (first == std::string_view::npos) return 0;
  input.remove_prefix(first + 1);
  const size_t second = input.find('\n');
  CheckAuthorization(input.substr(0, second));
  if (second != std::string_view::npos) CheckForm(input.substr(second + 1));
  return 0;
}

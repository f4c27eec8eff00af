// RFC 3986 section 5.2: split, merge, remove_dot_segments and recompose.
#include "dialtone/twiml/url.h"
#include "text_util.h"

#include <optional>

namespace dialtone::twiml {
namespace {

struct UriParts {
  std::optional<std::string_view> scheme;
  std::optional<std::string_view> authority;
  std::string_view path;
  std::optional<std::string_view> query;
  std::optional<std::string_view> fragment;
};

bool IsSchemeChar(char c, bool first) {
  if (IsAsciiAlpha(c)) return true;
  if (first) return false;
  return IsAsciiDigit(c) || c == '+' || c == '-' || c == '.';
}

// The scheme, when `s` starts with one ("https:"); scans only that far.
std::optional<std::string_view> Scheme(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ':') {
      if (i == 0) return std::nullopt;
      return s.substr(0, i);
    }
    if (!IsSchemeChar(s[i], i == 0)) return std::nullopt;
  }
  return std::nullopt;
}

// Appendix B's regular expression, with the scheme's grammar checked.
UriParts Split(std::string_view s) {
  UriParts parts;
  parts.scheme = Scheme(s);
  if (parts.scheme) s.remove_prefix(parts.scheme->size() + 1);
  if (s.starts_with("//")) {
    s.remove_prefix(2);
    size_t end = 0;
    while (end < s.size() && s[end] != '/' && s[end] != '?' && s[end] != '#') ++end;
    parts.authority = s.substr(0, end);
    s.remove_prefix(end);
  }
  const size_t hash = s.find('#');
  if (hash != std::string_view::npos) {
    parts.fragment = s.substr(hash + 1);
    s = s.substr(0, hash);
  }
  const size_t question = s.find('?');
  if (question != std::string_view::npos) {
    parts.query = s.substr(question + 1);
    s = s.substr(0, question);
  }
  parts.path = s;
  return parts;
}

// Removes the last segment of the path that starts at out[path_start]
// (what precedes it, the scheme and authority, is never touched).
void PopLastSegment(std::string& out, size_t path_start) {
  const size_t slash = out.rfind('/');
  out.erase(slash == std::string::npos || slash < path_start ? path_start : slash);
}

// Section 5.2.4, appending the result to `out` (the path starts at the end
// of `out`) so that a resolution builds one string; linear in the input's
// length (only prefixes are removed).
void AppendWithoutDotSegments(std::string_view in, std::string& out) {
  if (in.find('.') == std::string_view::npos) {  // common case
    out.append(in);
    return;
  }
  const size_t path_start = out.size();
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.remove_prefix(3);
    } else if (in.starts_with("./")) {
      in.remove_prefix(2);
    } else if (in.starts_with("/./")) {
      in.remove_prefix(2);
    } else if (in == "/.") {
      out += '/';
      break;
    } else if (in.starts_with("/../")) {
      in.remove_prefix(3);
      PopLastSegment(out, path_start);
    } else if (in == "/..") {
      PopLastSegment(out, path_start);
      out += '/';
      break;
    } else if (in == "." || in == "..") {
      break;
    } else {
      const size_t next = in.find('/', 1);
      const size_t n = next == std::string_view::npos ? in.size() : next;
      out.append(in.substr(0, n));
      in.remove_prefix(n);
    }
  }
}

// Section 5.2.3 (merge) then 5.2.4, appended to `out`.
void AppendMergedPath(const UriParts& base, std::string_view reference_path, std::string& out) {
  std::string_view prefix;
  if (base.authority && base.path.empty()) {
    prefix = "/";
  } else {
    const size_t slash = base.path.rfind('/');
    if (slash != std::string_view::npos) prefix = base.path.substr(0, slash + 1);
  }
  if (prefix.find('.') == std::string_view::npos &&
      reference_path.find('.') == std::string_view::npos) {
    out.append(prefix).append(reference_path);  // no dot segment: no copy to clean
    return;
  }
  // Dot segments of the reference may remove the base's, so clean the whole.
  std::string merged;
  merged.reserve(prefix.size() + reference_path.size());
  merged.append(prefix).append(reference_path);
  AppendWithoutDotSegments(merged, out);
}

// Section 5.3, in two halves around the path so that the path is appended
// straight into the result.
std::string BeginRecompose(std::string_view scheme, std::optional<std::string_view> authority,
                           size_t rest_size) {
  std::string out;
  out.reserve(scheme.size() + 3 + (authority ? authority->size() : 0) + rest_size);
  out.append(scheme);
  out += ':';
  if (authority) out.append("//").append(*authority);
  return out;
}

void EndRecompose(std::optional<std::string_view> query, std::optional<std::string_view> fragment,
                  std::string& out) {
  if (query) out.append("?").append(*query);
  if (fragment) out.append("#").append(*fragment);
}

size_t TailSize(std::optional<std::string_view> query, std::optional<std::string_view> fragment) {
  return (query ? query->size() + 1 : 0) + (fragment ? fragment->size() + 1 : 0);
}

}  // namespace

bool IsAbsoluteUrl(std::string_view url) { return Scheme(url).has_value(); }

bool IsHttpUrl(std::string_view url) {
  const std::optional<std::string_view> scheme = Scheme(url);
  return scheme && (EqualsIgnoreCase(*scheme, "http") || EqualsIgnoreCase(*scheme, "https"));
}

bool IsWebSocketUrl(std::string_view url) {
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  const UriParts parts = Split(url);
  if (!parts.scheme || parts.fragment) return false;
  if (!EqualsIgnoreCase(*parts.scheme, "ws") && !EqualsIgnoreCase(*parts.scheme, "wss")) {
    return false;
  }
  if (!parts.authority) return false;
  // The host is what follows any userinfo; a port alone ("ws://:80") names no host.
  std::string_view host = *parts.authority;
  const size_t at = host.rfind('@');
  if (at != std::string_view::npos) host.remove_prefix(at + 1);
  return !host.empty() && host.front() != ':';
}

std::string ResolveUrl(std::string_view base, std::string_view reference) {
  const UriParts r = Split(reference);
  // An absolute reference with no dot segment resolves to itself (Split and
  // the recomposition of section 5.3 are inverses): the common case in TwiML.
  if (r.scheme && r.path.find('.') == std::string_view::npos) {
    return std::string(reference);
  }
  const UriParts b = Split(base);
  if (!b.scheme) return std::string(reference);
  const size_t tail = TailSize(r.query, r.fragment);
  if (r.scheme || r.authority) {
    std::string out =
        BeginRecompose(r.scheme ? *r.scheme : *b.scheme, r.authority, r.path.size() + tail);
    AppendWithoutDotSegments(r.path, out);
    EndRecompose(r.query, r.fragment, out);
    return out;
  }
  if (r.path.empty()) {
    const std::optional<std::string_view> query = r.query ? r.query : b.query;
    std::string out =
        BeginRecompose(*b.scheme, b.authority, b.path.size() + TailSize(query, r.fragment));
    out.append(b.path);
    EndRecompose(query, r.fragment, out);
    return out;
  }
  std::string out =
      BeginRecompose(*b.scheme, b.authority, b.path.size() + r.path.size() + 1 + tail);
  if (r.path.front() == '/') {
    AppendWithoutDotSegments(r.path, out);
  } else {
    AppendMergedPath(b, r.path, out);
  }
  EndRecompose(r.query, r.fragment, out);
  return out;
}

}  // namespace dialtone::twiml

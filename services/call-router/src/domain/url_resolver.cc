// RFC 3986 section 5.2: split, merge, remove_dot_segments and recompose.
#include "domain/url_resolver.h"
#include "domain/text_util.h"

#include <optional>


namespace dialtone::call_router {
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
  return IsAsciiDigit(c) || c == '+' ||
         c == '-' || c == '.';
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

void PopLastSegment(std::string& out) {
  const size_t slash = out.rfind('/');
  out.erase(slash == std::string::npos ? 0 : slash);
}

// Section 5.2.4; linear in the input's length (only prefixes are removed).
std::string RemoveDotSegments(std::string_view in) {
  if (in.find('.') == std::string_view::npos) return std::string(in);  // common case
  std::string out;
  out.reserve(in.size());
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
      PopLastSegment(out);
    } else if (in == "/..") {
      PopLastSegment(out);
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
  return out;
}

// Section 5.2.3.
std::string Merge(const UriParts& base, std::string_view reference_path) {
  if (base.authority && base.path.empty()) {
    return std::string("/").append(reference_path);
  }
  const size_t slash = base.path.rfind('/');
  if (slash == std::string_view::npos) return std::string(reference_path);
  return std::string(base.path.substr(0, slash + 1)).append(reference_path);
}

// Section 5.3.
std::string Recompose(std::string_view scheme,
                      std::optional<std::string_view> authority,
                      std::string_view path,
                      std::optional<std::string_view> query,
                      std::optional<std::string_view> fragment) {
  std::string out;
  out.reserve(scheme.size() + 3 + (authority ? authority->size() : 0) + path.size() +
              (query ? query->size() + 1 : 0) + (fragment ? fragment->size() + 1 : 0));
  out.append(scheme);
  out += ':';
  if (authority) out.append("//").append(*authority);
  out.append(path);
  if (query) out.append("?").append(*query);
  if (fragment) out.append("#").append(*fragment);
  return out;
}

}  // namespace

bool IsAbsoluteUrl(std::string_view url) { return Scheme(url).has_value(); }

bool IsHttpUrl(std::string_view url) {
  const std::optional<std::string_view> scheme = Scheme(url);
  return scheme && (EqualsIgnoreCase(*scheme, "http") ||
                    EqualsIgnoreCase(*scheme, "https"));
}

std::string ResolveUrl(std::string_view base, std::string_view reference) {
  const UriParts b = Split(base);
  if (!b.scheme) return std::string(reference);
  const UriParts r = Split(reference);
  if (r.scheme) {
    return Recompose(*r.scheme, r.authority, RemoveDotSegments(r.path), r.query,
                     r.fragment);
  }
  if (r.authority) {
    return Recompose(*b.scheme, r.authority, RemoveDotSegments(r.path), r.query,
                     r.fragment);
  }
  if (r.path.empty()) {
    return Recompose(*b.scheme, b.authority, b.path, r.query ? r.query : b.query,
                     r.fragment);
  }
  const std::string path = r.path.front() == '/'
                               ? RemoveDotSegments(r.path)
                               : RemoveDotSegments(Merge(b, r.path));
  return Recompose(*b.scheme, b.authority, path, r.query, r.fragment);
}

}  // namespace dialtone::call_router

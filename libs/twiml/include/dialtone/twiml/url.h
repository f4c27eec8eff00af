// RFC 3986 reference resolution, std-only, for relative URLs in TwiML.
#pragma once

#include <string>
#include <string_view>

namespace dialtone::twiml {

// True when `url` has a scheme ("https:..."), i.e. needs no base to resolve.
bool IsAbsoluteUrl(std::string_view url);

// True when `url` is absolute and its scheme is http or https (any case).
bool IsHttpUrl(std::string_view url);

// True when `url` is an absolute WebSocket URL as RFC 6455 section 3 defines it: scheme ws or
// wss (any case), a host, no fragment, and no whitespace or control characters. Relative
// references are not WebSocket URLs: a media stream's URL is never resolved against a document.
// Example: IsWebSocketUrl("wss://app.example/stream?x=1") is true, "https://app.example" false.
bool IsWebSocketUrl(std::string_view url);

// Resolves `reference` against `base` as RFC 3986 section 5.2 describes
// (strict parser, dot segments removed, the base's fragment dropped).
// When `base` is not absolute the reference is returned unchanged, since
// nothing can be resolved against it.
// Example: ResolveUrl("https://a.example/ivr/menu.xml", "../hold.mp3")
//          == "https://a.example/hold.mp3".
// Pure, any thread.
std::string ResolveUrl(std::string_view base, std::string_view reference);

}  // namespace dialtone::twiml

// ParseApiRoute.
#include "domain/api_route.h"

#include "dialtone/core/sid.h"

namespace dialtone::rest_gateway {
namespace {

std::string_view PathOf(std::string_view target) { return target.substr(0, target.find('?')); }

}  // namespace

ResponseFormat FormatOf(std::string_view target) {
  std::string_view path = PathOf(target);
  constexpr std::string_view kJson = ".json";
  return path.size() >= kJson.size() && path.substr(path.size() - kJson.size()) == kJson
             ? ResponseFormat::kJson
             : ResponseFormat::kXml;
}

std::optional<ApiRoute> ParseApiRoute(std::string_view target) {
  std::string_view path = PathOf(target);
  constexpr std::string_view kPrefix = "/2010-04-01/Accounts/";
  if (path.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  path.remove_prefix(kPrefix.size());
  ApiRoute route;
  route.format = FormatOf(target);
  for (std::string_view suffix : {std::string_view(".json"), std::string_view(".xml")}) {
    if (path.size() > suffix.size() && path.substr(path.size() - suffix.size()) == suffix) {
      path.remove_suffix(suffix.size());
      break;
    }
  }
  std::vector<std::string> segments;
  while (!path.empty()) {
    auto slash = path.find('/');
    std::string_view seg = path.substr(0, slash);
    if (seg.empty()) return std::nullopt;  // "//" or a trailing slash
    segments.emplace_back(seg);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
    if (path.empty()) return std::nullopt;
  }
  if (segments.empty()) return std::nullopt;
  route.account_sid = segments.front();
  route.resource.assign(segments.begin() + 1, segments.end());
  return route;
}

std::optional<RecordingMediaPath> ParseRecordingMediaPath(std::string_view target) {
  std::string_view path = PathOf(target);
  constexpr std::string_view kPrefix = "/2010-04-01/Accounts/";
  if (path.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  path.remove_prefix(kPrefix.size());
  auto slash = path.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  RecordingMediaPath media;
  media.account_sid = std::string(path.substr(0, slash));
  path.remove_prefix(slash + 1);
  constexpr std::string_view kRecordings = "Recordings/";
  if (path.substr(0, kRecordings.size()) != kRecordings) return std::nullopt;
  path.remove_prefix(kRecordings.size());
  for (std::string_view ext : {std::string_view(".wav"), std::string_view(".mp3")}) {
    if (path.size() > ext.size() && path.substr(path.size() - ext.size()) == ext) {
      media.mp3 = ext == ".mp3";
      path.remove_suffix(ext.size());
      break;
    }
  }
  // A recording SID; anything else (.json, .xml, sub-resources) is the API's.
  if (!core::IsSid(absl::string_view(path.data(), path.size()), core::kRecordingPrefix) ||
      media.account_sid.empty()) {
    return std::nullopt;
  }
  media.recording_sid = std::string(path);
  return media;
}

}  // namespace dialtone::rest_gateway

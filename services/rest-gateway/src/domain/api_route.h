// Which resource a REST request names: /2010-04-01/Accounts/{AccountSid}[/Resource[/Sid...]]
// with Twilio's format suffix (.json, or XML without one). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dialtone::rest_gateway {

enum class ResponseFormat { kJson, kXml };

struct ApiRoute {
  std::string account_sid;
  // Path segments after the account, suffix removed: {} for the account itself,
  // {"Calls"}, {"Calls", "CA…"}, {"Calls", "CA…", "Recordings"}, …
  std::vector<std::string> resource;
  ResponseFormat format = ResponseFormat::kXml;
};

// nullopt when `target` (path and optional query) is not under /2010-04-01/Accounts/{Sid}.
std::optional<ApiRoute> ParseApiRoute(std::string_view target);

// A recording's audio at the URL Twilio gives it (RecordingUrl, media_url):
// /2010-04-01/Accounts/{AccountSid}/Recordings/{RecordingSid}[.wav|.mp3]; no extension is WAV.
struct RecordingMediaPath {
  std::string account_sid;
  std::string recording_sid;
  bool mp3 = false;
};
std::optional<RecordingMediaPath> ParseRecordingMediaPath(std::string_view target);

// The format a request asked for, even when its path is unknown (for error bodies).
ResponseFormat FormatOf(std::string_view target);

}  // namespace dialtone::rest_gateway

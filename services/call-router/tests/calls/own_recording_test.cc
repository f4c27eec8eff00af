// Which <Play> URLs are the account's own recordings, read from the media layer directly.
#include <catch2/catch.hpp>

#include "media/media_client.h"

using dialtone::call_router::MediaClient;

namespace {
constexpr char kBase[] = "https://api.example.com";
constexpr char kAccount[] = "AC0123456789abcdef0123456789abcdef";
constexpr char kRecording[] = "RE0123456789abcdef0123456789abcdef";
std::string Url(const std::string& base, const std::string& account, const std::string& tail) {
  return base + "/2010-04-01/Accounts/" + account + "/Recordings/" + tail;
}
}  // namespace

TEST_CASE("The account's own RecordingUrl, bare, .wav or .mp3, is read internally") {
  CHECK(MediaClient::OwnRecording(Url(kBase, kAccount, kRecording), kBase, kAccount) == kRecording);
  CHECK(MediaClient::OwnRecording(Url(kBase, kAccount, std::string(kRecording) + ".mp3"),
                                  std::string(kBase) + "/", kAccount) == kRecording);
  CHECK(MediaClient::OwnRecording(Url(kBase, kAccount, std::string(kRecording) + ".wav?a=b"), kBase,
                                  kAccount) == kRecording);
}

TEST_CASE("Other accounts' recordings, other hosts and other resources are fetched as URLs") {
  const std::string other = "AC" + std::string(32, 'f');
  CHECK(MediaClient::OwnRecording(Url(kBase, other, kRecording), kBase, kAccount).empty());
  CHECK(MediaClient::OwnRecording(Url("https://evil.example.com", kAccount, kRecording), kBase,
                                  kAccount)
            .empty());
  CHECK(MediaClient::OwnRecording(Url(kBase, kAccount, std::string(kRecording) + ".json"), kBase,
                                  kAccount)
            .empty());
  CHECK(MediaClient::OwnRecording(Url(kBase, kAccount, "RE123"), kBase, kAccount).empty());
  CHECK(MediaClient::OwnRecording(Url(kBase, kAccount, kRecording), "", kAccount).empty());
}

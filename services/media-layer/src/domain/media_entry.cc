// MediaEntry <-> Redis hash fields.
#include "domain/media_entry.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace dialtone::media_layer {
namespace {

std::string Ms(absl::Time t) {
  return t == absl::InfiniteFuture() ? "inf" : absl::StrCat(absl::ToUnixMillis(t));
}

absl::Time FromMs(const std::string& v) {
  int64_t ms = 0;
  if (v == "inf" || !absl::SimpleAtoi(v, &ms)) return absl::InfiniteFuture();
  return absl::FromUnixMillis(ms);
}

const char* KindName(MediaKind k) {
  switch (k) {
    case MediaKind::kUrl: return "url";
    case MediaKind::kSpeech: return "speech";
    case MediaKind::kRecording: return "recording";
    case MediaKind::kTransient: return "transient";
  }
  return "url";
}

}  // namespace

std::vector<std::string> ToFields(const MediaEntry& e) {
  return {"sid",
          e.sid,
          "account",
          e.account_sid,
          "kind",
          KindName(e.kind),
          "codec",
          e.codec == G711::kUlaw ? "pcmu" : "pcma",
          "sha",
          e.sha256,
          "size",
          absl::StrCat(e.size_bytes),
          "duration_ms",
          absl::StrCat(e.duration_ms),
          "created_ms",
          Ms(e.created),
          "fresh_until_ms",
          Ms(e.fresh_until),
          "etag",
          e.etag,
          "last_modified",
          e.last_modified,
          "req",
          e.request_key,
          "source",
          e.source};
}

absl::StatusOr<MediaEntry> FromFields(const std::map<std::string, std::string>& f) {
  auto get = [&](const char* k) {
    auto it = f.find(k);
    return it == f.end() ? std::string() : it->second;
  };
  MediaEntry e;
  e.sid = get("sid");
  e.account_sid = get("account");
  e.sha256 = get("sha");
  if (e.sid.empty() || e.sha256.empty()) return absl::DataLossError("media entry is incomplete");
  std::string kind = get("kind");
  e.kind = kind == "speech"      ? MediaKind::kSpeech
           : kind == "recording" ? MediaKind::kRecording
           : kind == "transient" ? MediaKind::kTransient
                                 : MediaKind::kUrl;
  e.codec = get("codec") == "pcma" ? G711::kAlaw : G711::kUlaw;
  (void)absl::SimpleAtoi(get("size"), &e.size_bytes);
  (void)absl::SimpleAtoi(get("duration_ms"), &e.duration_ms);
  e.created = FromMs(get("created_ms"));
  e.fresh_until = FromMs(get("fresh_until_ms"));
  e.etag = get("etag");
  e.last_modified = get("last_modified");
  e.request_key = get("req");
  e.source = get("source");
  return e;
}

int64_t G711DurationMs(int64_t bytes) { return bytes / 8; }

std::string RequestKey(const std::string& a, const std::string& h) {
  return absl::StrCat("media:{", a, "}:req:", h);
}
std::string EntryKey(const std::string& a, const std::string& sid) {
  return absl::StrCat("media:{", a, "}:me:", sid);
}
std::string LockKey(const std::string& a, const std::string& h) {
  return absl::StrCat("media:{", a, "}:lock:", h);
}
std::string AccountSetKey(const std::string& a) { return absl::StrCat("media:{", a, "}:sids"); }
std::string OwnerKey(const std::string& sid) { return absl::StrCat("media:{", sid, "}:owner"); }

}  // namespace dialtone::media_layer

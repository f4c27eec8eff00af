// media-layer options.
#include "app/config.h"
#include "dialtone/http/fetch_policy.h"

#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace dialtone::media_layer {

absl::Status Validate(const Config& c) {
  if (c.blob_store != "s3") return absl::OkStatus();
  std::vector<std::string> missing;
  for (const auto& [name, value] : {std::pair{"s3_endpoint", &c.s3.endpoint},
                                    {"s3_bucket", &c.s3.bucket},
                                    {"s3_access_key", &c.s3.access_key},
                                    {"s3_secret_key", &c.s3.secret_key}}) {
    if (value->empty()) missing.push_back(config::ConfigLoader::EnvName(name));
  }
  if (missing.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("blob_store=s3 needs ", absl::StrJoin(missing, ", ")));
}

void AddOptions(config::ConfigLoader& loader, Config* c) {
  service::AddCommonOptions(loader, &c->common);
  loader.AddString("redis_url", &c->redis_url, "Redis URL (media cache index)",
                   config::CheckUrl({"redis"}));
  loader.AddString("http_addr", &c->http_addr, "HTTP address of the persistent media URLs",
                   config::CheckHostPort());
  loader.AddString("public_url", &c->public_url,
                   "base URL of the persistent media addresses (default http://<http_addr>)");
  loader.AddString("media_dir", &c->media_dir, "folder for media blobs (blob_store=dir)",
                   config::CheckNotEmpty());
  loader.AddString("blob_store", &c->blob_store,
                   "where media blobs live: dir (media_dir, may be a shared volume) or s3",
                   config::CheckOneOf({"dir", "s3"}));
  loader.AddString("s3_endpoint", &c->s3.endpoint,
                   "S3-compatible endpoint, path-style (blob_store=s3)",
                   config::CheckUrl({"http", "https"}));
  loader.AddString("s3_bucket", &c->s3.bucket, "S3 bucket of the media blobs");
  loader.AddString("s3_region", &c->s3.region, "S3 region signed into requests",
                   config::CheckNotEmpty());
  loader.AddString("s3_access_key", &c->s3.access_key, "S3 access key id");
  loader.AddString("s3_secret_key", &c->s3.secret_key, "S3 secret access key");
  loader.AddString("s3_prefix", &c->s3.prefix, "prefix of every S3 object key (e.g. media/)",
                   [](absl::string_view v) -> std::string {
                     // Sent in the URL as it is, so only characters that need no escaping.
                     for (char ch : v) {
                       if (!absl::ascii_isalnum(ch) && !absl::StrContains("/._-", ch))
                         return "letters, digits and / . _ - only";
                     }
                     return "";
                   });
  loader.AddDuration("s3_timeout", &c->s3.timeout, absl::Seconds(1),
                     "time allowed for one S3 request");
  loader.AddString("fetch_allow", &c->fetch_allow,
                   "inside addresses media URLs may reach anyway (CIDRs, address:port)",
                   http::CheckFetchAllow);
  loader.AddString("usage_metering_addr", &c->usage_metering_addr, "usage-metering gRPC address",
                   config::CheckHostPort());
  loader.AddInt("cache_max_mb", &c->cache_max_mb, 1, 1 << 20,
                "size cap of cached media blobs, MB (least recently used evicted)");
  loader.AddInt("max_media_mb", &c->max_media_mb, 1, 1024, "largest media body fetched, MB");
  loader.AddDuration("fetch_timeout", &c->fetch_timeout, absl::Milliseconds(100),
                     "total time allowed to fetch one media URL");
  loader.AddDuration("default_ttl", &c->default_ttl, absl::ZeroDuration(),
                     "freshness of media whose origin sends no caching headers");
  loader.AddInt("http_threads", &c->http_threads, 1, 64, "HTTP I/O threads");
  loader.AddDuration("local_cache_ttl", &c->local_cache_ttl, absl::ZeroDuration(),
                     "how long a process trusts a fresh entry without reading Redis (0: never)");
}

}  // namespace dialtone::media_layer

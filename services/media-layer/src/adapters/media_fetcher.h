// Fetching media over HTTP: the interface the media service depends on, and its implementation
// on the shared outbound client (libs/http). Errors are MediaError statuses carrying Twilio codes
// (112xx, 11100).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dialtone/http/client.h"
#include "domain/cache_policy.h"

namespace dialtone::media_layer {

struct FetchRequest {
  std::string url;
  std::string if_none_match;  // validators of a stale entry, for a conditional GET
  std::string if_modified_since;
};

// A 200 or a 304; every other answer is an error.
struct FetchResponse {
  int status = 0;
  std::string body;
  std::string content_type;
  CacheHeaders cache;
};

class MediaFetcher {
 public:
  virtual ~MediaFetcher() = default;
  virtual absl::StatusOr<FetchResponse> Fetch(const FetchRequest& request) = 0;
};

// Blocking fetch on the calling thread (the client's connections and DNS answers are shared by
// all fetches). Follows up to `max_redirects` redirects, gives up after `timeout` and aborts
// bodies over `max_bytes`. Thread-safe.
class HttpMediaFetcher final : public MediaFetcher {
 public:
  struct Options {
    absl::Duration timeout = absl::Seconds(10);
    absl::Duration connect_timeout = absl::Seconds(3);
    int64_t max_bytes = 32 << 20;
    int max_redirects = 5;
    std::shared_ptr<const http::FetchPolicy> policy;  // which addresses media URLs may reach
  };
  explicit HttpMediaFetcher(Options options);
  absl::StatusOr<FetchResponse> Fetch(const FetchRequest& request) override;

 private:
  Options options_;
  // Many calls may ask one CDN host at once: fetches must not queue behind a small cap.
  http::Client client_;
};

}  // namespace dialtone::media_layer

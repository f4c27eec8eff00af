// HttpMediaFetcher: media fetches over the shared outbound client (libs/http).
#include "absl/strings/str_cat.h"
#include "adapters/media_fetcher.h"
#include "dialtone/core/twilio_error.h"
#include "domain/media_error.h"

namespace dialtone::media_layer {

HttpMediaFetcher::HttpMediaFetcher(Options options)
    : options_(options), client_({.max_host_connections = 256, .policy = options_.policy}) {}

absl::StatusOr<FetchResponse> HttpMediaFetcher::Fetch(const FetchRequest& req) {
  http::Request request{.url = req.url,
                        .purpose = http::Purpose::kMedia,
                        .connect_timeout = options_.connect_timeout,
                        .total_timeout = options_.timeout,
                        .max_redirects = options_.max_redirects,
                        .max_body_bytes = static_cast<size_t>(options_.max_bytes),
                        .decompress = true,
                        .user_agent = "Dialtone-MediaLayer/1.0"};
  if (!req.if_none_match.empty()) request.headers.emplace_back("If-None-Match", req.if_none_match);
  if (!req.if_modified_since.empty()) {
    request.headers.emplace_back("If-Modified-Since", req.if_modified_since);
  }
  absl::StatusOr<http::Response> answer = client_.Fetch(std::move(request));
  if (!answer.ok()) {
    const int code = core::TwilioCodeOf(answer.status());
    return MediaError(code == kErrorInvalidUrl ? absl::StatusCode::kInvalidArgument
                                               : absl::StatusCode::kFailedPrecondition,
                      code, std::string(answer.status().message()));
  }
  if (answer->status != 200 && answer->status != 304) {
    return MediaError(
        absl::StatusCode::kFailedPrecondition, kErrorHttpRetrieval,
        absl::StrCat("cannot fetch ", req.url, ": the origin answered HTTP ", answer->status));
  }
  FetchResponse response{.status = answer->status,
                         .body = std::move(answer->body),
                         .content_type = answer->content_type};
  response.cache = {.cache_control = answer->Header("cache-control"),
                    .expires = answer->Header("expires"),
                    .date = answer->Header("date"),
                    .age = answer->Header("age"),
                    .etag = answer->Header("etag"),
                    .last_modified = answer->Header("last-modified")};
  return response;
}

}  // namespace dialtone::media_layer

// MediaHttp: path parsing, conditional and range responses.
#include "adapters/media_http.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "dialtone/log/log.h"
#include "domain/byte_range.h"
#include "domain/cache_policy.h"

namespace dialtone::media_layer {
namespace {

namespace http = boost::beast::http;

web::HttpServer::Response Text(http::status status, unsigned version, const std::string& body) {
  web::HttpServer::Response res{status, version};
  res.set(http::field::content_type, "text/plain");
  res.body() = body + "\n";
  return res;
}

// A read from the blob store failed: gone (404), or the store is out of reach (503, logged).
web::HttpServer::Response StoreError(const absl::Status& status, unsigned version) {
  if (status.code() == absl::StatusCode::kNotFound) {
    return Text(http::status::not_found, version, "media no longer stored");
  }
  log::Warn("media blob read failed", {{"error", status}});
  return Text(http::status::service_unavailable, version, "media store unavailable");
}

bool EtagMatches(absl::string_view header, const std::string& etag) {
  for (absl::string_view t : absl::StrSplit(header, ',')) {
    t = absl::StripAsciiWhitespace(t);
    absl::ConsumePrefix(&t, "W/");
    if (t == "*" || t == etag) return true;
  }
  return false;
}

}  // namespace

web::HttpServer::Response MediaHttp::Handle(const web::HttpServer::Request& req) {
  unsigned v = req.version();
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    auto res = Text(http::status::method_not_allowed, v, "GET or HEAD");
    res.set(http::field::allow, "GET, HEAD");
    return res;
  }
  absl::string_view target(req.target().data(), req.target().size());
  target = target.substr(0, target.find('?'));
  if (!absl::ConsumePrefix(&target, "/v1/Media/"))
    return Text(http::status::not_found, v, "not found");
  auto dot = target.rfind('.');
  std::string sid(target.substr(0, dot));
  std::string ext(dot == absl::string_view::npos ? "" : target.substr(dot + 1));
  if (ext != "wav" && ext != "ulaw" && ext != "alaw")
    return Text(http::status::not_found, v, "not found");
  auto entry = service_.GetBySid(sid);
  if (!entry.ok()) {
    bool missing = entry.status().code() == absl::StatusCode::kNotFound;
    return Text(missing ? http::status::not_found : http::status::service_unavailable, v,
                missing ? "no such media" : "media index unavailable");
  }
  // Served in the codec the extension names; the other G.711 law is converted on the way. The
  // answer's size is known from the index, so only the bytes it holds are read from the store.
  G711 want = ext == "alaw" ? G711::kAlaw : ext == "ulaw" ? G711::kUlaw : entry->codec;
  auto payload_size = static_cast<uint64_t>(entry->size_bytes);
  std::string header = ext == "wav" ? WavHeader(want, static_cast<uint32_t>(payload_size)) : "";
  uint64_t size = header.size() + payload_size;
  std::string etag = absl::StrCat("\"", entry->sha256.substr(0, 32), "-", ext, "\"");

  web::HttpServer::Response res{http::status::ok, v};
  res.set(http::field::content_type, ext == "wav"          ? "audio/wav"
                                     : want == G711::kUlaw ? "audio/basic"
                                                           : "audio/x-alaw");
  res.set(http::field::etag, etag);
  res.set(http::field::last_modified, FormatHttpDate(entry->created));
  res.set(http::field::accept_ranges, "bytes");
  res.set(http::field::cache_control, "no-cache");  // the ETag says whether it changed
  auto inm = req.find(http::field::if_none_match);
  if (inm != req.end() &&
      EtagMatches(absl::string_view(inm->value().data(), inm->value().size()), etag)) {
    res.result(http::status::not_modified);
    return res;
  }
  ByteRange r{.first = 0, .last = size == 0 ? 0 : size - 1};
  auto range_header = req.find(http::field::range);
  auto if_range = req.find(http::field::if_range);
  bool range_allowed = if_range == req.end() || std::string(if_range->value()) == etag;
  if (range_header != req.end() && range_allowed) {
    switch (ParseRange(std::string(range_header->value()), size, &r)) {
      case RangeResult::kUnsatisfiable:
        res.result(http::status::range_not_satisfiable);
        res.set(http::field::content_range, absl::StrCat("bytes */", size));
        return res;
      case RangeResult::kSatisfiable:
        res.result(http::status::partial_content);
        res.set(http::field::content_range,
                absl::StrCat("bytes ", r.first, "-", r.last, "/", size));
        break;
      case RangeResult::kNone: break;
    }
  }
  uint64_t length = size == 0 ? 0 : r.last - r.first + 1;
  // HEAD answers from the index alone.
  if (req.method() == http::verb::head) {
    res.content_length(length);
    return res;
  }
  std::string body;
  if (r.first < header.size()) body = header.substr(r.first, length);
  if (body.size() < length) {
    uint64_t from = std::max<uint64_t>(r.first, header.size()) - header.size();
    auto payload = service_.ReadPayload(*entry, from, length - body.size());
    if (!payload.ok()) return StoreError(payload.status(), v);
    body += want == entry->codec ? *payload : EncodeG711(DecodeG711(*payload, entry->codec), want);
  }
  if (service_.metrics()) service_.metrics()->BytesServed(static_cast<int64_t>(body.size()));
  res.body() = std::move(body);
  return res;
}

}  // namespace dialtone::media_layer

// S3BlobStore: object requests and the mapping of S3's answers to statuses.
#include "adapters/s3_blob_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "domain/media_key.h"

namespace dialtone::media_layer {
namespace {

// SHA-256 of no bytes: the payload hash of GET, HEAD and DELETE.
constexpr char kEmptySha256[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// The text of the first <tag> of an S3 error document, or "".
std::string XmlField(const std::string& body, const std::string& tag) {
  std::string open = absl::StrCat("<", tag, ">"), close = absl::StrCat("</", tag, ">");
  size_t start = body.find(open);
  if (start == std::string::npos) return "";
  start += open.size();
  size_t end = body.find(close, start);
  return end == std::string::npos ? "" : body.substr(start, end - start);
}

}  // namespace

S3BlobStore::S3BlobStore(S3Options options)
    : options_(std::move(options)),
      base_url_(absl::StrCat(absl::StripSuffix(options_.endpoint, "/"), "/", options_.bucket)) {}

http::Request S3BlobStore::Make(http::Method method, const std::string& key) const {
  return {.url = key.empty() ? base_url_ : absl::StrCat(base_url_, "/", options_.prefix, key),
          .method = method,
          .aws_sigv4 = http::AwsSigV4{.provider = absl::StrCat("aws:amz:", options_.region, ":s3"),
                                      .access_key = options_.access_key,
                                      .secret_key = options_.secret_key},
          .headers = {{"x-amz-content-sha256", kEmptySha256}},
          .purpose = http::Purpose::kMedia,
          .total_timeout = options_.timeout,
          .connect_attempts = 2,
          .user_agent = "Dialtone-media-layer/0.1"};
}

absl::Status S3BlobStore::Failure(const absl::StatusOr<http::Response>& r,
                                  absl::string_view what) const {
  if (!r.ok()) {
    return absl::UnavailableError(
        absl::StrCat("S3 blob store ", base_url_, " unreachable: ", r.status().message()));
  }
  std::string code = XmlField(r->body, "Code"), message = XmlField(r->body, "Message");
  return absl::UnavailableError(absl::StrCat(
      "S3 blob store ", base_url_, " answered ", what, " with ", r->status,
      code.empty() ? "" : absl::StrCat(" ", code), message.empty() ? "" : ": ", message,
      r->status == 403 ? " (check DIALTONE_S3_ACCESS_KEY and DIALTONE_S3_SECRET_KEY)" : ""));
}

absl::Status S3BlobStore::Probe() {
  auto r = client_.Fetch(Make(http::Method::kHead, ""));
  if (r.ok() && r->ok()) return absl::OkStatus();
  return Failure(r, "HEAD of the bucket");
}

absl::StatusOr<std::string> S3BlobStore::Put(std::string_view data, const std::string& ext) {
  std::string sha = Sha256Hex(data);
  std::string key = Name(sha, ext);
  http::Request req = Make(http::Method::kPut, key);
  req.body = std::string(data);
  // The content address is the payload hash SigV4 signs.
  req.headers = {{"x-amz-content-sha256", sha}, {"Content-Type", "application/octet-stream"}};
  auto r = client_.Fetch(std::move(req));
  if (!r.ok() || !r->ok()) return Failure(r, absl::StrCat("PUT ", key));
  return sha;
}

absl::StatusOr<std::string> S3BlobStore::Read(const std::string& sha, const std::string& ext,
                                              uint64_t offset, uint64_t length) {
  if (length == 0) return std::string();
  std::string key = Name(sha, ext);
  http::Request req = Make(http::Method::kGet, key);
  req.headers.emplace_back("Range", absl::StrCat("bytes=", offset, "-", offset + length - 1));
  // A server that ignores Range answers 200 with the whole object.
  req.max_body_bytes = offset + length;
  auto r = client_.Fetch(std::move(req));
  if (r.ok() && r->status == 404)
    return absl::NotFoundError(absl::StrCat("blob ", sha, " is gone"));
  bool whole = r.ok() && r->status == 200 && r->body.size() >= offset + length;
  if (r.ok() && (whole || (r->status == 206 && r->body.size() == length))) {
    return whole ? r->body.substr(offset, length) : std::move(r->body);
  }
  if (r.ok() && (r->status == 416 || r->ok())) {
    return absl::DataLossError(
        absl::StrCat("blob ", sha, " holds fewer than ", offset + length, " bytes"));
  }
  return Failure(r, absl::StrCat("GET ", key));
}

absl::StatusOr<bool> S3BlobStore::Exists(const std::string& sha, const std::string& ext) {
  std::string key = Name(sha, ext);
  auto r = client_.Fetch(Make(http::Method::kHead, key));
  if (r.ok() && (r->ok() || r->status == 404)) return r->ok();
  return Failure(r, absl::StrCat("HEAD ", key));
}

absl::Status S3BlobStore::Remove(const std::string& sha, const std::string& ext) {
  std::string key = Name(sha, ext);
  auto r = client_.Fetch(Make(http::Method::kDelete, key));
  if (r.ok() && (r->ok() || r->status == 404)) return absl::OkStatus();
  return Failure(r, absl::StrCat("DELETE ", key));
}

}  // namespace dialtone::media_layer

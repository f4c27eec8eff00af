// Blobs as objects of a bucket in S3-compatible object storage (AWS S3, MinIO, Ceph RGW, ...),
// at path-style URLs (<endpoint>/<bucket>/<prefix>blobs/..), signed with AWS Signature V4 by
// libcurl through http::Client. An object is written by one PUT, so it is stored whole or not at
// all; every replica that reaches the bucket reads every blob.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "adapters/blob_store.h"
#include "dialtone/http/client.h"

namespace dialtone::media_layer {

struct S3Options {
  std::string endpoint;  // "https://s3.eu-west-3.amazonaws.com", "http://minio:9000"
  std::string bucket;
  std::string region = "us-east-1";
  std::string access_key;
  std::string secret_key;
  std::string prefix;                          // put before every key ("media/"); may be empty
  absl::Duration timeout = absl::Seconds(60);  // one request, a whole recording included
};

// Thread-safe: requests run on the client's worker thread, callers wait on their own.
//
//   S3BlobStore store({.endpoint = "http://127.0.0.1:9000", .bucket = "media",
//                      .access_key = "AK", .secret_key = "SK"});
//   auto sha = store.Put(payload, "ulaw");
class S3BlobStore : public BlobStore {
 public:
  explicit S3BlobStore(S3Options options);

  // HEAD of the bucket: reachable, and our credentials accepted.
  absl::Status Probe() override;
  absl::StatusOr<std::string> Put(std::string_view data, const std::string& ext) override;
  absl::StatusOr<std::string> Read(const std::string& sha, const std::string& ext, uint64_t offset,
                                   uint64_t length) override;
  absl::StatusOr<bool> Exists(const std::string& sha, const std::string& ext) override;
  absl::Status Remove(const std::string& sha, const std::string& ext) override;

 private:
  // A signed request for the object `key` ("" for the bucket itself).
  http::Request Make(http::Method method, const std::string& key) const;
  // An Unavailable status for a request that got no answer or an unexpected one.
  absl::Status Failure(const absl::StatusOr<http::Response>& r, absl::string_view what) const;

  S3Options options_;
  std::string base_url_;  // <endpoint>/<bucket>
  http::Client client_;
};

}  // namespace dialtone::media_layer

// Where media blobs live: an interface with two implementations, a directory (DirBlobStore, the
// default; a directory that every replica mounts makes it shared) and S3-compatible object storage
// (S3BlobStore). Blobs are content-addressed by the SHA-256 of their bytes and immutable, so two
// replicas writing the same blob agree and a replica that lacks one reads it from the store.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace dialtone::media_layer {

// Thread-safe; any thread. Errors: NotFound for a blob that is not stored, Unavailable when the
// store cannot be reached or refuses us (the message says which and why).
//
//   auto sha = store.Put(payload, "ulaw");
//   auto head = store.Read(*sha, "ulaw", 0, 160);  // exactly 160 bytes, or an error
class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // Whether the store answers (start-up and the health probe).
  virtual absl::Status Probe() = 0;
  // Stores `data` whole or not at all; returns its SHA-256 (hex). Storing the same bytes twice is
  // a no-op.
  virtual absl::StatusOr<std::string> Put(std::string_view data, const std::string& ext) = 0;
  // Exactly `length` bytes from `offset`; a blob shorter than that is an error, never a short read.
  virtual absl::StatusOr<std::string> Read(const std::string& sha, const std::string& ext,
                                           uint64_t offset, uint64_t length) = 0;
  virtual absl::StatusOr<bool> Exists(const std::string& sha, const std::string& ext) = 0;
  // Removing a blob that is not there is not an error.
  virtual absl::Status Remove(const std::string& sha, const std::string& ext) = 0;

  // The blob's name under the store's root: "blobs/<2 hex>/<sha>.<ext>".
  static std::string Name(const std::string& sha, const std::string& ext) {
    return absl::StrCat("blobs/", sha.substr(0, 2), "/", sha, ".", ext);
  }
};

}  // namespace dialtone::media_layer

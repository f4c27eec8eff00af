// Media blobs on local disk, content-addressed by the SHA-256 of their bytes and written
// atomically (temporary file, fsync, rename), so that a reader never sees half a blob and two
// processes writing the same blob agree. Thread-safe; any thread.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace dialtone::media_layer {

class BlobStore {
 public:
  // `dir` holds blobs/<2 hex>/<sha>.<ext> and tmp/.
  explicit BlobStore(std::string dir) : dir_(std::move(dir)) {}
  absl::Status Init();

  // Stores `data`; returns its SHA-256 (hex). Storing the same bytes twice is a no-op.
  absl::StatusOr<std::string> Put(std::string_view data, const std::string& ext);
  absl::StatusOr<std::string> Read(const std::string& sha, const std::string& ext) const;
  bool Exists(const std::string& sha, const std::string& ext) const;
  void Remove(const std::string& sha, const std::string& ext);
  std::string PathOf(const std::string& sha, const std::string& ext) const;

 private:
  std::string dir_;
};

}  // namespace dialtone::media_layer

// Blobs as files of a directory, written atomically (a temporary file in the same file system,
// fsync, rename), so that a reader never sees half a blob. A directory that every replica mounts
// (NFS, a ReadWriteMany volume) is a shared store as it is: rename is atomic there too.
#pragma once

#include <string>

#include "adapters/blob_store.h"

namespace dialtone::media_layer {

// Thread-safe; any thread.
class DirBlobStore : public BlobStore {
 public:
  // `dir` holds blobs/<2 hex>/<sha>.<ext> and tmp/ (the temporary files, on the same volume).
  explicit DirBlobStore(std::string dir) : dir_(std::move(dir)) {}
  // Creates the folders.
  absl::Status Init();

  absl::Status Probe() override;
  absl::StatusOr<std::string> Put(std::string_view data, const std::string& ext) override;
  absl::StatusOr<std::string> Read(const std::string& sha, const std::string& ext, uint64_t offset,
                                   uint64_t length) override;
  absl::StatusOr<bool> Exists(const std::string& sha, const std::string& ext) override;
  absl::Status Remove(const std::string& sha, const std::string& ext) override;

  std::string PathOf(const std::string& sha, const std::string& ext) const {
    return absl::StrCat(dir_, "/", Name(sha, ext));
  }

 private:
  std::string dir_;
};

}  // namespace dialtone::media_layer

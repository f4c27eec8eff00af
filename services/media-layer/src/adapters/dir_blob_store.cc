// BlobStore on POSIX files.
#include "adapters/blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "dialtone/core/sid.h"
#include "domain/media_key.h"

namespace dialtone::media_layer {

absl::Status BlobStore::Init() {
  std::error_code ec;
  std::filesystem::create_directories(dir_ + "/blobs", ec);
  if (!ec) std::filesystem::create_directories(dir_ + "/tmp", ec);
  if (ec) return absl::UnavailableError(absl::StrCat("cannot create ", dir_, ": ", ec.message()));
  return absl::OkStatus();
}

std::string BlobStore::PathOf(const std::string& sha, const std::string& ext) const {
  return absl::StrCat(dir_, "/blobs/", sha.substr(0, 2), "/", sha, ".", ext);
}

bool BlobStore::Exists(const std::string& sha, const std::string& ext) const {
  struct stat st;
  return ::stat(PathOf(sha, ext).c_str(), &st) == 0;
}

absl::StatusOr<std::string> BlobStore::Put(std::string_view data, const std::string& ext) {
  std::string sha = Sha256Hex(data);
  std::string path = PathOf(sha, ext);
  if (Exists(sha, ext)) return sha;
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::string tmp = absl::StrCat(dir_, "/tmp/", sha, ".", core::RandomHex(8));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    return absl::UnavailableError(absl::StrCat("cannot create ", tmp, ": ", std::strerror(errno)));
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return absl::UnavailableError(absl::StrCat("cannot write ", tmp, ": ", std::strerror(err)));
    }
    done += static_cast<size_t>(n);
  }
  bool ok = ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return absl::UnavailableError(absl::StrCat("cannot store ", path, ": ", std::strerror(err)));
  }
  return sha;
}

absl::StatusOr<std::string> BlobStore::Read(const std::string& sha, const std::string& ext) const {
  std::ifstream in(PathOf(sha, ext), std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("blob ", sha, " is gone"));
  std::ostringstream ss;
  ss << in.rdbuf();
  return std::move(ss).str();
}

void BlobStore::Remove(const std::string& sha, const std::string& ext) {
  ::unlink(PathOf(sha, ext).c_str());
}

}  // namespace dialtone::media_layer

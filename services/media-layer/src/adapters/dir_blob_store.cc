// DirBlobStore on POSIX files.
#include "adapters/dir_blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "dialtone/core/sid.h"
#include "domain/media_key.h"

namespace dialtone::media_layer {
namespace {

absl::Status Unavailable(absl::string_view what, const std::string& path, int err) {
  return absl::UnavailableError(absl::StrCat("cannot ", what, " ", path, ": ", std::strerror(err)));
}

}  // namespace

absl::Status DirBlobStore::Init() {
  std::error_code ec;
  std::filesystem::create_directories(dir_ + "/blobs", ec);
  if (!ec) std::filesystem::create_directories(dir_ + "/tmp", ec);
  if (ec) return absl::UnavailableError(absl::StrCat("cannot create ", dir_, ": ", ec.message()));
  return absl::OkStatus();
}

absl::Status DirBlobStore::Probe() {
  std::string blobs = dir_ + "/blobs";
  if (::access(blobs.c_str(), R_OK | W_OK | X_OK) != 0) return Unavailable("use", blobs, errno);
  return absl::OkStatus();
}

absl::StatusOr<bool> DirBlobStore::Exists(const std::string& sha, const std::string& ext) {
  struct stat st;
  std::string path = PathOf(sha, ext);
  if (::stat(path.c_str(), &st) == 0) return true;
  if (errno == ENOENT) return false;
  return Unavailable("stat", path, errno);
}

absl::StatusOr<std::string> DirBlobStore::Put(std::string_view data, const std::string& ext) {
  std::string sha = Sha256Hex(data);
  auto exists = Exists(sha, ext);
  if (!exists.ok()) return exists.status();
  if (*exists) return sha;
  std::string path = PathOf(sha, ext);
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  // tmp/ is on the blobs' volume, so the rename below is atomic: a reader on any replica opens
  // either no file or the whole blob.
  std::string tmp = absl::StrCat(dir_, "/tmp/", sha, ".", core::RandomHex(8));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return Unavailable("create", tmp, errno);
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Unavailable("write", tmp, err);
    }
    done += static_cast<size_t>(n);
  }
  bool ok = ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Unavailable("store", path, err);
  }
  return sha;
}

absl::StatusOr<std::string> DirBlobStore::Read(const std::string& sha, const std::string& ext,
                                               uint64_t offset, uint64_t length) {
  std::string path = PathOf(sha, ext);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return absl::NotFoundError(absl::StrCat("blob ", sha, " is gone"));
  if (fd < 0) return Unavailable("open", path, errno);
  std::string out(length, '\0');
  size_t done = 0;
  while (done < length) {
    ssize_t n = ::pread(fd, out.data() + done, length - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return Unavailable("read", path, err);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  if (done < length) {
    return absl::DataLossError(absl::StrCat("blob ", sha, " holds ", offset + done,
                                            " bytes, fewer than ", offset + length));
  }
  return out;
}

absl::Status DirBlobStore::Remove(const std::string& sha, const std::string& ext) {
  std::string path = PathOf(sha, ext);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return Unavailable("remove", path, errno);
  return absl::OkStatus();
}

}  // namespace dialtone::media_layer

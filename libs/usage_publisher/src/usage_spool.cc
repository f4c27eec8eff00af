// UsageSpool: length-prefixed protobuf records in a plain file, fsync'ed per append.
#include "dialtone/usage_publisher/usage_spool.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace dialtone::usage_publisher {
namespace {

constexpr uint32_t kMaxRecord = 1 << 20;

absl::Status Errno(absl::string_view what, const std::string& path = {}) {
  return absl::UnavailableError(absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

bool PreadAll(int fd, void* buf, size_t n, int64_t offset) {
  auto* p = static_cast<char*>(buf);
  while (n > 0) {
    ssize_t r = ::pread(fd, p, n, offset);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
    offset += r;
  }
  return true;
}

uint32_t DecodeLength(const unsigned char* b) {
  return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
}

// Reads the record at `offset` of a file of `size` bytes; false when it is torn or corrupt.
bool ReadRecord(int fd, int64_t offset, int64_t size, usage::v1::UsageEvent* event, int64_t* next) {
  unsigned char header[4];
  if (offset + 4 > size || !PreadAll(fd, header, 4, offset)) return false;
  uint32_t len = DecodeLength(header);
  if (len > kMaxRecord || offset + 4 + len > size) return false;
  std::string body(len, '\0');
  if (len > 0 && !PreadAll(fd, body.data(), len, offset + 4)) return false;
  if (!event->ParseFromString(body)) return false;
  *next = offset + 4 + len;
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<UsageSpool>> UsageSpool::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("cannot open usage spool", path);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return absl::FailedPreconditionError(
        absl::StrCat("usage spool ", path, " is in use by another process"));
  }
  int64_t size = ::lseek(fd, 0, SEEK_END);
  int64_t offset = 0;
  int64_t records = 0;
  usage::v1::UsageEvent event;
  int64_t next = 0;
  while (offset < size && ReadRecord(fd, offset, size, &event, &next)) {
    offset = next;
    ++records;
  }
  if (offset < size && ::ftruncate(fd, offset) != 0) {  // cut the torn tail
    ::close(fd);
    return Errno("cannot truncate usage spool", path);
  }
  return std::unique_ptr<UsageSpool>(new UsageSpool(fd, offset, records));
}

UsageSpool::~UsageSpool() { ::close(fd_); }

absl::Status UsageSpool::Append(const std::vector<usage::v1::UsageEvent>& events) {
  std::string out;
  for (const auto& e : events) {
    std::string body = e.SerializeAsString();
    uint32_t len = static_cast<uint32_t>(body.size());
    const char header[4] = {char(len & 0xff), char(len >> 8 & 0xff), char(len >> 16 & 0xff),
                            char(len >> 24 & 0xff)};
    out.append(header, 4);
    out += body;
  }
  size_t done = 0;
  while (done < out.size()) {
    ssize_t w = ::pwrite(fd_, out.data() + done, out.size() - done, size_ + int64_t(done));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      absl::Status s = Errno("cannot write usage spool");
      (void)::ftruncate(fd_, size_);  // leave no torn record behind
      return s;
    }
    done += static_cast<size_t>(w);
  }
  if (::fdatasync(fd_) != 0) {
    absl::Status s = Errno("cannot fsync usage spool");
    (void)::ftruncate(fd_, size_);
    return s;
  }
  size_ += static_cast<int64_t>(out.size());
  records_ += static_cast<int64_t>(events.size());
  return absl::OkStatus();
}

absl::StatusOr<std::vector<usage::v1::UsageEvent>> UsageSpool::Read(int64_t offset, size_t max,
                                                                    int64_t* next) {
  std::vector<usage::v1::UsageEvent> out;
  *next = offset;
  while (*next < size_ && out.size() < max) {
    usage::v1::UsageEvent e;
    if (!ReadRecord(fd_, *next, size_, &e, next)) {
      return absl::DataLossError(absl::StrCat("usage spool is corrupt at byte ", *next));
    }
    out.push_back(std::move(e));
  }
  return out;
}

absl::Status UsageSpool::Clear() {
  if (::ftruncate(fd_, 0) != 0 || ::fdatasync(fd_) != 0) return Errno("cannot clear usage spool");
  size_ = 0;
  records_ = 0;
  return absl::OkStatus();
}

}  // namespace dialtone::usage_publisher

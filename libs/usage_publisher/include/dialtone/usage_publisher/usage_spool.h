// An append-only local file of usage events, where the publisher keeps what metering could not
// take yet. One record per event: a 4-byte little-endian length, then the serialized UsageEvent.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "dialtone/usage/v1/usage_metering.pb.h"

namespace dialtone::usage_publisher {

// Not thread-safe: the publisher's sender thread owns it. One process per file: Open takes an
// exclusive flock and fails when another process holds it.
class UsageSpool {
 public:
  // Opens or creates `path`. A torn last record (a crash mid-write) is cut off, so appends
  // never follow garbage.
  static absl::StatusOr<std::unique_ptr<UsageSpool>> Open(const std::string& path);
  ~UsageSpool();

  // Appends and fsyncs: once this returns OK the events survive a crash of the process or host.
  absl::Status Append(const std::vector<usage::v1::UsageEvent>& events);

  // Up to `max` events starting at byte `offset`; `*next` is the offset after them.
  absl::StatusOr<std::vector<usage::v1::UsageEvent>> Read(int64_t offset, size_t max,
                                                          int64_t* next);
  // Empties the file (everything in it was acknowledged).
  absl::Status Clear();

  int64_t size() const { return size_; }
  int64_t records() const { return records_; }
  bool empty() const { return size_ == 0; }

 private:
  UsageSpool(int fd, int64_t size, int64_t records) : fd_(fd), size_(size), records_(records) {}
  int fd_;
  int64_t size_;
  int64_t records_;
};

}  // namespace dialtone::usage_publisher

// Hears PostgreSQL notifications (LISTEN/NOTIFY) on a connection and thread of its own, so that
// every replica drops what it cached when any replica (or anyone) changes the rows behind it.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"

namespace dialtone::pg {

// Calls `on_change(channel, payload)` for every notification on `channels`, on its own thread.
// It reconnects after PostgreSQL comes back; notifications sent while it was away are lost, so
// after every connection (the first too) it calls `on_reset()`: drop everything cached.
//
//   ChangeListener feed(url, {"dialtone_routes"}, [&](auto&, auto&) { cache.Clear(); },
//                       [&] { cache.Clear(); });
class ChangeListener {
 public:
  using OnChange = std::function<void(const std::string& channel, const std::string& payload)>;
  ChangeListener(std::string url, std::vector<std::string> channels, OnChange on_change,
                 std::function<void()> on_reset);
  ~ChangeListener();  // stops within about a second
  ChangeListener(const ChangeListener&) = delete;
  ChangeListener& operator=(const ChangeListener&) = delete;

  // True once it listens (for tests: a change after this is heard).
  bool WaitListening(absl::Duration timeout) const;

 private:
  void Loop();

  const std::string url_;
  const std::vector<std::string> channels_;
  OnChange on_change_;
  std::function<void()> on_reset_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> listening_{false};
  std::thread thread_;
};

}  // namespace dialtone::pg

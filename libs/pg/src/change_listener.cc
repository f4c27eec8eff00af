// ChangeListener: one connection, LISTEN on each channel, await with a timeout, reconnect.
#include "dialtone/pg/change_listener.h"

#include <memory>

#include <pqxx/pqxx>

#include "dialtone/pg/pg_pool.h"

namespace dialtone::pg {
namespace {

class Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& c, const std::string& channel,
           const ChangeListener::OnChange& on_change)
      : pqxx::notification_receiver(c, channel), on_change_(on_change) {}
  void operator()(const std::string& payload, int) override { on_change_(channel(), payload); }

 private:
  const ChangeListener::OnChange& on_change_;
};

}  // namespace

ChangeListener::ChangeListener(std::string url, std::vector<std::string> channels,
                               OnChange on_change, std::function<void()> on_reset)
    : url_(ConnInfoWithTimeout(url, absl::Seconds(3))),
      channels_(std::move(channels)),
      on_change_(std::move(on_change)),
      on_reset_(std::move(on_reset)),
      thread_([this] { Loop(); }) {}

ChangeListener::~ChangeListener() {
  stopping_ = true;
  thread_.join();
}

bool ChangeListener::WaitListening(absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  while (!listening_) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return true;
}

void ChangeListener::Loop() {
  while (!stopping_) {
    try {
      pqxx::connection conn(url_);
      // A lost connection must throw (libpqxx 6 would reconnect quietly and hide the gap):
      // we reconnect ourselves and reset.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
      conn.inhibit_reactivation(true);
#pragma GCC diagnostic pop
      std::vector<std::unique_ptr<Receiver>> receivers;
      for (const std::string& channel : channels_) {
        receivers.push_back(std::make_unique<Receiver>(conn, channel, on_change_));
      }
      conn.get_notifs();  // sends the LISTENs
      if (on_reset_) on_reset_();
      listening_ = true;
      while (!stopping_) {
        conn.await_notification(1, 0);
        if (!conn.is_open()) break;
      }
    } catch (const std::exception&) {
      // PostgreSQL went away: try again shortly (the reset on reconnect covers the gap).
    }
    listening_ = false;
    for (int i = 0; i < 10 && !stopping_; ++i) absl::SleepFor(absl::Milliseconds(100));
  }
}

}  // namespace dialtone::pg

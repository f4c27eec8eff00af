// A pool of PostgreSQL connections (libpqxx) that reconnects after the server comes back.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

#include <pqxx/connection>

namespace dialtone::pg {

// Lends connections to callers; a connection that broke is dropped and replaced on next use, so
// a PostgreSQL restart costs the calls in flight and nothing after. Thread-safe.
// libpqxx exceptions never leave this class: they become absl::Status
// (Unavailable for connection trouble, the mapped SQLSTATE class otherwise).
//
//   PgPool pool({.url = "postgresql://dialtone@127.0.0.1:15432/dialtone"});
//   absl::Status s = pool.Run([](pqxx::connection& c) {
//     pqxx::work tx(c); tx.exec("select 1"); tx.commit(); return absl::OkStatus(); });
class PgPool {
 public:
  struct Options {
    std::string url;
    int max_connections = 4;
    absl::Duration connect_timeout = absl::Seconds(3);
    // How long Run waits for a free connection before giving up.
    absl::Duration acquire_timeout = absl::Seconds(5);
  };

  explicit PgPool(Options options);
  ~PgPool();
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  // Runs `fn` on a pooled connection. Exceptions thrown inside become a Status.
  absl::Status Run(const std::function<absl::Status(pqxx::connection&)>& fn);

  // A round trip ("select 1"): OK when PostgreSQL answers.
  absl::Status Ping();

  // Connections currently open (idle + lent).
  int open_connections() const;

 private:
  std::unique_ptr<pqxx::connection> Acquire(absl::Status& status);
  void Release(std::unique_ptr<pqxx::connection> conn, bool broken);

  Options options_;
  std::string conninfo_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int open_ = 0;
};

// The libpq connection string for `url` with connect_timeout added when absent.
std::string ConnInfoWithTimeout(const std::string& url, absl::Duration timeout);

}  // namespace dialtone::pg

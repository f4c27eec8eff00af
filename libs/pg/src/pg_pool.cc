// PgPool: lend/return with broken-connection eviction; the libpqxx exception boundary.
#include "dialtone/pg/pg_pool.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"

namespace dialtone::pg {

std::string ConnInfoWithTimeout(const std::string& url, absl::Duration timeout) {
  if (url.find("connect_timeout") != std::string::npos) return url;
  int64_t seconds = std::max<int64_t>(1, absl::ToInt64Seconds(timeout));
  char sep = url.find('?') == std::string::npos ? '?' : '&';
  return absl::StrCat(url, std::string(1, sep), "connect_timeout=", seconds);
}

PgPool::PgPool(Options options)
    : options_(std::move(options)),
      conninfo_(ConnInfoWithTimeout(options_.url, options_.connect_timeout)) {}

PgPool::~PgPool() = default;

int PgPool::open_connections() const {
  std::lock_guard lock(mu_);
  return open_;
}

std::unique_ptr<pqxx::connection> PgPool::Acquire(absl::Status& status) {
  {
    std::unique_lock lock(mu_);
    bool ready = cv_.wait_for(lock, absl::ToChronoMilliseconds(options_.acquire_timeout),
                              [&] { return !idle_.empty() || open_ < options_.max_connections; });
    if (!ready) {
      status = absl::ResourceExhaustedError("no PostgreSQL connection free in time");
      return nullptr;
    }
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
    ++open_;  // reserve the slot; connect outside the lock
  }
  try {
    return std::make_unique<pqxx::connection>(conninfo_);
  } catch (const std::exception& e) {
    {
      std::lock_guard lock(mu_);
      --open_;
    }
    cv_.notify_one();
    status = absl::UnavailableError(absl::StrCat("cannot connect to PostgreSQL: ", e.what()));
    return nullptr;
  }
}

void PgPool::Release(std::unique_ptr<pqxx::connection> conn, bool broken) {
  {
    std::lock_guard lock(mu_);
    if (broken || !conn->is_open()) {
      --open_;
      // The server probably went away: the idle ones are stale too.
      if (broken) {
        open_ -= static_cast<int>(idle_.size());
        idle_.clear();
      }
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  cv_.notify_all();
}

absl::Status PgPool::Run(const std::function<absl::Status(pqxx::connection&)>& fn) {
  absl::Status status;
  auto conn = Acquire(status);
  if (!conn) return status;
  bool broken = false;
  try {
    status = fn(*conn);
  } catch (const pqxx::broken_connection& e) {
    broken = true;
    status = absl::UnavailableError(absl::StrCat("PostgreSQL connection lost: ", e.what()));
  } catch (const pqxx::in_doubt_error& e) {
    broken = true;
    status = absl::UnavailableError(absl::StrCat("PostgreSQL commit in doubt: ", e.what()));
  } catch (const pqxx::unique_violation& e) {
    status = absl::AlreadyExistsError(e.what());
  } catch (const pqxx::integrity_constraint_violation& e) {
    status = absl::FailedPreconditionError(e.what());
  } catch (const pqxx::sql_error& e) {
    status = absl::InternalError(absl::StrCat("SQL error ", e.sqlstate(), ": ", e.what()));
  } catch (const std::exception& e) {
    status = absl::InternalError(absl::StrCat("PostgreSQL: ", e.what()));
  }
  Release(std::move(conn), broken);
  return status;
}

absl::Status PgPool::Ping() {
  return Run([](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    tx.exec("select 1");
    return absl::OkStatus();
  });
}

}  // namespace dialtone::pg

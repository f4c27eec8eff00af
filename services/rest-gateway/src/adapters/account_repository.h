// Accounts in PostgreSQL (table `accounts`, owned by rest-gateway).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "dialtone/pg/pg_pool.h"
#include "domain/account.h"

namespace dialtone::rest_gateway {

// CRUD on accounts. Thread-safe (the pool is). Errors: NotFound for an unknown SID,
// Unavailable while PostgreSQL is down.
class AccountRepository {
 public:
  explicit AccountRepository(pg::PgPool& pool) : pool_(pool) {}

  // A new active account that owns itself, with a fresh 32-hex-digit auth token.
  absl::StatusOr<Account> Create(const std::string& friendly_name);
  absl::StatusOr<Account> Get(const std::string& sid);

  struct ListFilter {
    std::string friendly_name;
    std::optional<AccountStatus> status;
    int page_size = 50;
    std::string after_sid;  // keyset paging: rows after this SID in (date_created, sid) order
  };
  absl::StatusOr<std::vector<Account>> List(const ListFilter& filter);

  absl::StatusOr<Account> Update(const std::string& sid,
                                 const std::optional<std::string>& friendly_name,
                                 std::optional<AccountStatus> status);
  absl::StatusOr<Account> RotateAuthToken(const std::string& sid);

 private:
  pg::PgPool& pool_;
};

}  // namespace dialtone::rest_gateway

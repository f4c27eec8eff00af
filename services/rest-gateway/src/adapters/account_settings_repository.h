// Account settings in PostgreSQL (table `account_settings`, owned by rest-gateway), with the
// platform's defaults applied.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "dialtone/pg/pg_pool.h"
#include "domain/account_settings.h"

namespace dialtone::rest_gateway {

// Thread-safe (the pool is). Errors: NotFound for an unknown account, InvalidArgument for a value
// out of range, Unavailable while PostgreSQL is down.
class AccountSettingsRepository {
 public:
  struct Stored {
    AccountSettings effective;
    AccountSettingsOverrides overrides;
  };

  AccountSettingsRepository(pg::PgPool& pool, AccountSettings defaults)
      : pool_(pool), defaults_(defaults) {}

  absl::StatusOr<Stored> Get(const std::string& account_sid);
  // Sets what `set` holds, after clearing the fields named in `reset` ("all": every one).
  absl::StatusOr<Stored> Update(const std::string& account_sid, const AccountSettingsOverrides& set,
                                const std::vector<std::string>& reset);

  const AccountSettings& defaults() const { return defaults_; }

 private:
  pg::PgPool& pool_;
  AccountSettings defaults_;
};

}  // namespace dialtone::rest_gateway

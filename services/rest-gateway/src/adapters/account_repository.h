// Accounts in PostgreSQL (table `accounts`, owned by rest-gateway).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "dialtone/pg/pg_pool.h"
#include "dialtone/secrets/sealer.h"
#include "domain/account.h"

namespace pqxx {
class row;
}

namespace dialtone::rest_gateway {

// CRUD on accounts. Thread-safe (the pool and the sealer are). Errors: NotFound for an unknown
// SID, Unavailable while PostgreSQL is down, Internal for a stored token that does not open.
//
// Auth tokens are sealed at rest (secrets::Sealer, bound to the account SID): written sealed,
// opened on read, so an Account always carries the plaintext token. A row still holding a
// plaintext token (from before sealing, or written by a gateway without a key) is read as it
// is until SealPlaintextTokens() seals it.
class AccountRepository {
 public:
  // `sealer` null: tokens are written in plaintext (DIALTONE_SECRETS_PLAINTEXT, development
  // only); sealed rows then do not open.
  AccountRepository(pg::PgPool& pool, const secrets::Sealer* sealer)
      : pool_(pool), sealer_(sealer) {}

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

  // Seals every plaintext token; returns how many rows it changed. Safe on several replicas at
  // once: a row is changed only while it still holds the plaintext that was read, so each is
  // sealed exactly once and no token changes. Without a sealer, does nothing.
  absl::StatusOr<int> SealPlaintextTokens();
  // OK when this gateway can open the stored tokens (tried on the most recently changed sealed
  // row). FailedPrecondition naming DIALTONE_SECRETS_KEY when the key is not theirs, or when
  // there is no key and sealed rows exist.
  absl::Status CheckSealedTokensOpen();

 private:
  // What the auth_token column holds for `token` of account `sid`.
  absl::StatusOr<std::string> Stored(const std::string& sid, const std::string& token) const;
  absl::StatusOr<Account> FromRow(const pqxx::row& row) const;

  pg::PgPool& pool_;
  const secrets::Sealer* sealer_;
};

}  // namespace dialtone::rest_gateway

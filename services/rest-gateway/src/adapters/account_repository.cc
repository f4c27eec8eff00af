// AccountRepository SQL.
#include "adapters/account_repository.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "dialtone/core/sid.h"
#include "dialtone/log/log.h"

namespace dialtone::rest_gateway {
namespace {

constexpr char kColumns[] =
    "sid, friendly_name, status, auth_token, owner_account_sid, type,"
    " extract(epoch from date_created)::float8, extract(epoch from date_updated)::float8";

// Sealed tokens in SQL: the sealed format's prefix (secrets::Sealer::kPrefix).
constexpr char kSealedPattern[] = "v1:%";
constexpr int kSealBatch = 500;

absl::Status NotFound(const std::string& sid) {
  return absl::NotFoundError(
      absl::StrCat("The requested resource /Accounts/", sid, " was not found"));
}

}  // namespace

absl::StatusOr<std::string> AccountRepository::Stored(const std::string& sid,
                                                      const std::string& token) const {
  if (sealer_ == nullptr) return token;
  return sealer_->Seal(token, sid);
}

absl::StatusOr<Account> AccountRepository::FromRow(const pqxx::row& row) const {
  Account a;
  a.sid = row[0].as<std::string>();
  a.friendly_name = row[1].as<std::string>();
  a.status = ParseAccountStatus(row[2].as<std::string>()).value_or(AccountStatus::kClosed);
  a.auth_token = row[3].as<std::string>();
  a.owner_account_sid = row[4].as<std::string>();
  a.type = row[5].as<std::string>();
  a.date_created = absl::FromUnixMicros(static_cast<int64_t>(row[6].as<double>() * 1e6));
  a.date_updated = absl::FromUnixMicros(static_cast<int64_t>(row[7].as<double>() * 1e6));
  if (!secrets::Sealer::IsSealed(a.auth_token)) return a;  // not sealed yet: as it is
  absl::StatusOr<std::string> opened =
      sealer_ == nullptr ? absl::FailedPreconditionError("DIALTONE_SECRETS_KEY is not set")
                         : sealer_->Open(a.auth_token, a.sid);
  if (!opened.ok()) {
    // The SID and the reason only: neither the stored value nor anything from the key.
    log::Error("an account's auth token does not open with DIALTONE_SECRETS_KEY",
               {{"account_sid", a.sid}, {"error", opened.status()}});
    return absl::InternalError(
        absl::StrCat("the auth token of ", a.sid, " does not open with DIALTONE_SECRETS_KEY"));
  }
  a.auth_token = *std::move(opened);
  return a;
}

absl::StatusOr<Account> AccountRepository::Create(const std::string& friendly_name) {
  absl::StatusOr<Account> account;
  std::string sid = core::NewSid(core::kAccountPrefix);
  absl::StatusOr<std::string> stored = Stored(sid, core::RandomHex(16));
  if (!stored.ok()) return stored.status();
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto row = tx.exec_params1(
        absl::StrCat("insert into accounts (sid, friendly_name, auth_token, owner_account_sid)"
                     " values ($1, $2, $3, $1) returning ",
                     kColumns),
        sid, friendly_name, *stored);
    tx.commit();
    account = FromRow(row);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return account;
}

absl::StatusOr<Account> AccountRepository::Get(const std::string& sid) {
  std::optional<absl::StatusOr<Account>> account;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    auto rows =
        tx.exec_params(absl::StrCat("select ", kColumns, " from accounts where sid = $1"), sid);
    if (!rows.empty()) account = FromRow(rows[0]);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!account) return NotFound(sid);
  return *std::move(account);
}

absl::StatusOr<std::vector<Account>> AccountRepository::List(const ListFilter& f) {
  std::vector<Account> out;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params(
        absl::StrCat("select ", kColumns,
                     " from accounts"
                     " where ($1 = '' or friendly_name = $1)"
                     "   and ($2 = '' or status = $2)"
                     "   and ($3 = '' or (date_created, sid) >"
                     "        (select date_created, sid from accounts where sid = $3))"
                     " order by date_created, sid limit $4"),
        f.friendly_name, f.status ? std::string(AccountStatusName(*f.status)) : std::string(),
        f.after_sid, f.page_size);
    for (const auto& row : rows) {
      absl::StatusOr<Account> a = FromRow(row);
      if (!a.ok()) return a.status();
      out.push_back(*std::move(a));
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<Account> AccountRepository::Update(const std::string& sid,
                                                  const std::optional<std::string>& friendly_name,
                                                  std::optional<AccountStatus> status) {
  std::optional<absl::StatusOr<Account>> account;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto rows = tx.exec_params(
        absl::StrCat("update accounts set"
                     " friendly_name = case when $3 then $2 else friendly_name end,"
                     " status = case when $5 then $4 else status end, date_updated = now()"
                     " where sid = $1 returning ",
                     kColumns),
        sid, friendly_name.value_or(""), friendly_name.has_value(),
        std::string(status ? AccountStatusName(*status) : ""), status.has_value());
    tx.commit();
    if (!rows.empty()) account = FromRow(rows[0]);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!account) return NotFound(sid);
  return *std::move(account);
}

absl::StatusOr<Account> AccountRepository::RotateAuthToken(const std::string& sid) {
  std::optional<absl::StatusOr<Account>> account;
  absl::StatusOr<std::string> stored = Stored(sid, core::RandomHex(16));
  if (!stored.ok()) return stored.status();
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto rows =
        tx.exec_params(absl::StrCat("update accounts set auth_token = $2, date_updated = now()"
                                    " where sid = $1 returning ",
                                    kColumns),
                       sid, *stored);
    tx.commit();
    if (!rows.empty()) account = FromRow(rows[0]);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!account) return NotFound(sid);
  return *std::move(account);
}

absl::StatusOr<int> AccountRepository::SealPlaintextTokens() {
  if (sealer_ == nullptr) return 0;
  int sealed = 0;
  std::string after;  // keyset paging by SID: each row is looked at once per pass
  while (true) {
    bool more = false;
    absl::Status s = pool_.Run([&](pqxx::connection& c) {
      pqxx::work tx(c);
      auto rows = tx.exec_params(
          "select sid, auth_token from accounts where auth_token not like $1 and sid > $2"
          " order by sid limit $3",
          std::string(kSealedPattern), after, kSealBatch);
      for (const auto& row : rows) {
        std::string sid = row[0].as<std::string>();
        std::string plain = row[1].as<std::string>();
        absl::StatusOr<std::string> stored = sealer_->Seal(plain, sid);
        if (!stored.ok()) return stored.status();
        // Only if the row still holds what was read: another replica may have sealed it, or
        // the token may have been rotated, in between. date_updated stays: nothing the API
        // shows has changed.
        auto changed =
            tx.exec_params("update accounts set auth_token = $3 where sid = $1 and auth_token = $2",
                           sid, plain, *stored);
        sealed += static_cast<int>(changed.affected_rows());
        after = sid;
      }
      tx.commit();
      more = static_cast<int>(rows.size()) == kSealBatch;
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    if (!more) break;
  }
  return sealed;
}

absl::Status AccountRepository::CheckSealedTokensOpen() {
  std::optional<std::pair<std::string, std::string>> newest;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params(
        "select sid, auth_token from accounts where auth_token like $1"
        " order by date_updated desc, sid limit 1",
        std::string(kSealedPattern));
    if (!rows.empty()) newest.emplace(rows[0][0].as<std::string>(), rows[0][1].as<std::string>());
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!newest) return absl::OkStatus();  // nothing sealed yet
  if (sealer_ == nullptr) {
    return absl::FailedPreconditionError(
        "the auth tokens in PostgreSQL are sealed, but DIALTONE_SECRETS_KEY is not set: set the "
        "key they were sealed with");
  }
  if (!sealer_->Open(newest->second, newest->first).ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "DIALTONE_SECRETS_KEY does not open the auth tokens in PostgreSQL (tried account ",
        newest->first, "): it is not the key they were sealed with"));
  }
  return absl::OkStatus();
}

}  // namespace dialtone::rest_gateway

// AccountRepository SQL.
#include "adapters/account_repository.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "dialtone/core/sid.h"

namespace dialtone::rest_gateway {
namespace {

constexpr char kColumns[] =
    "sid, friendly_name, status, auth_token, owner_account_sid, type,"
    " extract(epoch from date_created)::float8, extract(epoch from date_updated)::float8";

Account FromRow(const pqxx::row& row) {
  Account a;
  a.sid = row[0].as<std::string>();
  a.friendly_name = row[1].as<std::string>();
  a.status = ParseAccountStatus(row[2].as<std::string>()).value_or(AccountStatus::kClosed);
  a.auth_token = row[3].as<std::string>();
  a.owner_account_sid = row[4].as<std::string>();
  a.type = row[5].as<std::string>();
  a.date_created = absl::FromUnixMicros(static_cast<int64_t>(row[6].as<double>() * 1e6));
  a.date_updated = absl::FromUnixMicros(static_cast<int64_t>(row[7].as<double>() * 1e6));
  return a;
}

absl::Status NotFound(const std::string& sid) {
  return absl::NotFoundError(
      absl::StrCat("The requested resource /Accounts/", sid, " was not found"));
}

}  // namespace

absl::StatusOr<Account> AccountRepository::Create(const std::string& friendly_name) {
  Account account;
  std::string sid = core::NewSid(core::kAccountPrefix);
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto row = tx.exec_params1(
        absl::StrCat("insert into accounts (sid, friendly_name, auth_token, owner_account_sid)"
                     " values ($1, $2, $3, $1) returning ",
                     kColumns),
        sid, friendly_name, core::RandomHex(16));
    tx.commit();
    account = FromRow(row);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return account;
}

absl::StatusOr<Account> AccountRepository::Get(const std::string& sid) {
  std::optional<Account> account;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    auto rows =
        tx.exec_params(absl::StrCat("select ", kColumns, " from accounts where sid = $1"), sid);
    if (!rows.empty()) account = FromRow(rows[0]);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!account) return NotFound(sid);
  return *account;
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
    for (const auto& row : rows) out.push_back(FromRow(row));
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<Account> AccountRepository::Update(const std::string& sid,
                                                  const std::optional<std::string>& friendly_name,
                                                  std::optional<AccountStatus> status) {
  std::optional<Account> account;
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
  return *account;
}

absl::StatusOr<Account> AccountRepository::RotateAuthToken(const std::string& sid) {
  std::optional<Account> account;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto rows =
        tx.exec_params(absl::StrCat("update accounts set auth_token = $2, date_updated = now()"
                                    " where sid = $1 returning ",
                                    kColumns),
                       sid, core::RandomHex(16));
    tx.commit();
    if (!rows.empty()) account = FromRow(rows[0]);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!account) return NotFound(sid);
  return *account;
}

}  // namespace dialtone::rest_gateway

// AccountSettingsRepository SQL.
#include "adapters/account_settings_repository.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"

namespace dialtone::rest_gateway {
namespace {

constexpr char kSelect[] =
    "select a.sid, s.media_http_auth, s.calls_per_second, s.max_concurrent_calls,"
    " s.max_call_seconds, s.max_quiet_steps, s.api_requests_per_second"
    " from accounts a left join account_settings s on s.account_sid = a.sid where a.sid = $1";

AccountSettingsOverrides FromRow(const pqxx::row& row) {
  AccountSettingsOverrides o;
  if (!row[1].is_null()) o.media_http_auth = row[1].as<bool>();
  if (!row[2].is_null()) o.calls_per_second = row[2].as<int>();
  if (!row[3].is_null()) o.max_concurrent_calls = row[3].as<int>();
  if (!row[4].is_null()) o.max_call_seconds = row[4].as<int>();
  if (!row[5].is_null()) o.max_quiet_steps = row[5].as<int>();
  if (!row[6].is_null()) o.api_requests_per_second = row[6].as<int>();
  return o;
}

// A nullable column's value as SQL text ("" for null), for nullif($n, '') in the statement.
std::string Text(const std::optional<int>& v) { return v ? absl::StrCat(*v) : std::string(); }
std::string Text(const std::optional<bool>& v) {
  return v ? std::string(*v ? "true" : "false") : std::string();
}

absl::Status NotFound(const std::string& sid) {
  return absl::NotFoundError(
      absl::StrCat("The requested resource /Accounts/", sid, " was not found"));
}

}  // namespace

absl::StatusOr<AccountSettingsRepository::Stored> AccountSettingsRepository::Get(
    const std::string& account_sid) {
  std::optional<AccountSettingsOverrides> overrides;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params(kSelect, account_sid);
    if (!rows.empty()) overrides = FromRow(rows[0]);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!overrides) return NotFound(account_sid);
  return Stored{Apply(defaults_, *overrides), *overrides};
}

absl::StatusOr<AccountSettingsRepository::Stored> AccountSettingsRepository::Update(
    const std::string& account_sid, const AccountSettingsOverrides& set,
    const std::vector<std::string>& reset) {
  if (auto v = Validate(set); !v.ok()) return v;
  for (const std::string& name : reset) {  // names checked before anything is written
    AccountSettingsOverrides scratch;
    if (auto r = Reset(name, &scratch); !r.ok()) return r;
  }
  std::optional<AccountSettingsOverrides> result;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    // The account's row is locked, so two replicas updating at once apply one after the other.
    auto rows = tx.exec_params(absl::StrCat(kSelect, " for update of a"), account_sid);
    if (rows.empty()) return absl::OkStatus();
    AccountSettingsOverrides o = FromRow(rows[0]);
    for (const std::string& name : reset) (void)Reset(name, &o);
    Merge(set, &o);
    tx.exec_params(
        "insert into account_settings (account_sid, media_http_auth, calls_per_second,"
        " max_concurrent_calls, max_call_seconds, max_quiet_steps, api_requests_per_second)"
        " values ($1, nullif($2, '')::boolean, nullif($3, '')::integer, nullif($4, '')::integer,"
        "  nullif($5, '')::integer, nullif($6, '')::integer, nullif($7, '')::integer)"
        " on conflict (account_sid) do update set media_http_auth = excluded.media_http_auth,"
        " calls_per_second = excluded.calls_per_second,"
        " max_concurrent_calls = excluded.max_concurrent_calls,"
        " max_call_seconds = excluded.max_call_seconds,"
        " max_quiet_steps = excluded.max_quiet_steps,"
        " api_requests_per_second = excluded.api_requests_per_second, date_updated = now()",
        account_sid, Text(o.media_http_auth), Text(o.calls_per_second),
        Text(o.max_concurrent_calls), Text(o.max_call_seconds), Text(o.max_quiet_steps),
        Text(o.api_requests_per_second));
    tx.commit();
    result = o;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!result) return NotFound(account_sid);
  return Stored{Apply(defaults_, *result), *result};
}

}  // namespace dialtone::rest_gateway

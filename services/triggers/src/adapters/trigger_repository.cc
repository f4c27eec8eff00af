// TriggerRepository: SQL (libpqxx 6.4). Times travel as int8 microseconds since the epoch, so
// nothing is rounded through a float; amounts as numeric text in micro-unit precision.
#include "adapters/trigger_repository.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "dialtone/usage/micros.h"

namespace dialtone::triggers {
namespace {

namespace um = dialtone::usage;

constexpr char kColumns[] =
    "t.sid, t.account_sid, t.friendly_name, t.usage_category, t.trigger_by, t.trigger_value::text, "
    "t.recurring, t.callback_url, t.callback_method, t.current_value::text, "
    "(extract(epoch from t.date_fired) * 1000000)::int8, "
    "(extract(epoch from t.date_created) * 1000000)::int8, "
    "(extract(epoch from t.date_updated) * 1000000)::int8, t.last_fired_period";
constexpr int kColumnCount = 14;

// SQL expression of an int8 parameter of microseconds since the epoch.
std::string FromMicros(int n) {
  return absl::StrCat("(timestamptz 'epoch' + $", n, "::int8 * interval '1 microsecond')");
}

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

absl::StatusOr<Trigger> ReadTrigger(const pqxx::row& row, int first = 0) {
  Trigger t;
  t.sid = row[first + 0].as<std::string>();
  t.account_sid = row[first + 1].as<std::string>();
  t.friendly_name = row[first + 2].as<std::string>();
  t.usage_category = row[first + 3].as<std::string>();
  auto by = ParseTriggerBy(row[first + 4].as<std::string>());
  auto value = um::ParseMicros(row[first + 5].as<std::string>());
  auto recurring = ParseRecurring(row[first + 6].as<std::string>());
  t.callback_url = row[first + 7].as<std::string>();
  auto method = ParseCallbackMethod(row[first + 8].as<std::string>());
  auto current = um::ParseMicros(row[first + 9].as<std::string>());
  if (!by || !value.ok() || !recurring || !method || !current.ok()) {
    return absl::DataLossError(absl::StrCat("usage_triggers row ", t.sid, " is malformed"));
  }
  t.trigger_by = *by;
  t.trigger_value = *value;
  t.recurring = *recurring;
  t.callback_method = *method;
  t.current_value = *current;
  if (!row[first + 10].is_null())
    t.date_fired = absl::FromUnixMicros(row[first + 10].as<int64_t>());
  t.date_created = absl::FromUnixMicros(row[first + 11].as<int64_t>());
  t.date_updated = absl::FromUnixMicros(row[first + 12].as<int64_t>());
  t.last_fired_period = row[first + 13].as<std::string>();
  return t;
}

absl::Status ReadTriggers(const pqxx::result& rows, std::vector<Trigger>* out) {
  for (const auto& row : rows) {
    auto t = ReadTrigger(row);
    if (!t.ok()) return t.status();
    out->push_back(std::move(*t));
  }
  return absl::OkStatus();
}

absl::Status NotFound(const std::string& sid) {
  absl::Status s = absl::NotFoundError(
      absl::StrCat("The requested resource /UsageTriggers/", sid, " was not found"));
  return s;
}

// A PostgreSQL text[] literal of plain tokens (SIDs and category names: no quotes or commas,
// which the callers have validated); each element is double-quoted anyway.
std::string TextArray(const std::vector<std::string>& items) {
  std::vector<std::string> quoted;
  quoted.reserve(items.size());
  for (const std::string& s : items) {
    std::string q = "\"";
    for (char ch : s) {
      if (ch == '"' || ch == '\\') q += '\\';
      q += ch;
    }
    quoted.push_back(q + "\"");
  }
  return absl::StrCat("{", absl::StrJoin(quoted, ","), "}");
}

}  // namespace

absl::Status TriggerRepository::Create(const Trigger& t) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_params(
        absl::StrCat("insert into usage_triggers (sid, account_sid, friendly_name, usage_category, "
                     "trigger_by, trigger_value, recurring, callback_url, callback_method, "
                     "current_value, date_created, date_updated) values ($1, $2, $3, $4, $5, "
                     "$6::numeric, $7, $8, $9, $10::numeric, ",
                     FromMicros(11), ", ", FromMicros(12), ")"),
        t.sid, t.account_sid, t.friendly_name, t.usage_category, TriggerByName(t.trigger_by),
        um::FormatMicros(t.trigger_value), RecurringName(t.recurring), t.callback_url,
        CallbackMethodName(t.callback_method), um::FormatMicros(t.current_value),
        Micros(t.date_created), Micros(t.date_updated));
    tx.commit();
    return absl::OkStatus();
  });
}

absl::StatusOr<Trigger> TriggerRepository::Get(const std::string& account, const std::string& sid) {
  std::vector<Trigger> out;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    return ReadTriggers(tx.exec_params(absl::StrCat("select ", kColumns,
                                                    " from usage_triggers t "
                                                    "where t.account_sid = $1 and t.sid = $2"),
                                       account, sid),
                        &out);
  });
  if (!s.ok()) return s;
  if (out.empty()) return NotFound(sid);
  return std::move(out.front());
}

absl::StatusOr<std::vector<Trigger>> TriggerRepository::List(const ListQuery& q) {
  std::vector<Trigger> out;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    return ReadTriggers(
        tx.exec_params(
            absl::StrCat(
                "select ", kColumns,
                " from usage_triggers t where t.account_sid = $1 "
                "and ($2 = '' or t.usage_category = $2) and ($3 = '-' or t.recurring = $3) "
                "and ($4 = '' or t.trigger_by = $4) and ($5 = '' or (t.date_created, t.sid) > "
                "(select a.date_created, a.sid from usage_triggers a where a.sid = $5)) "
                "order by t.date_created, t.sid limit $6"),
            q.account_sid, q.usage_category, q.recurring ? RecurringName(*q.recurring) : "-",
            q.trigger_by ? TriggerByName(*q.trigger_by) : "", q.after_sid, q.page_size + 1),
        &out);
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<Trigger> TriggerRepository::Apply(const std::string& account, const std::string& sid,
                                                 const Update& u, absl::Time now) {
  std::vector<Trigger> out;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto rows = tx.exec_params(
        absl::StrCat("update usage_triggers t set "
                     "friendly_name = case when $3 then $4 else t.friendly_name end, "
                     "callback_url = case when $5 then $6 else t.callback_url end, "
                     "callback_method = case when $7 then $8 else t.callback_method end, "
                     "date_updated = ",
                     FromMicros(9), " where t.account_sid = $1 and t.sid = $2 returning ",
                     kColumns),
        account, sid, u.friendly_name.has_value(), u.friendly_name.value_or(""),
        u.callback_url.has_value(), u.callback_url.value_or(""), u.callback_method.has_value(),
        CallbackMethodName(u.callback_method.value_or(CallbackMethod::kPost)), Micros(now));
    if (auto st = ReadTriggers(rows, &out); !st.ok()) return st;
    tx.commit();
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (out.empty()) return NotFound(sid);
  return std::move(out.front());
}

absl::Status TriggerRepository::Delete(const std::string& account, const std::string& sid) {
  bool deleted = false;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    deleted = tx.exec_params("delete from usage_triggers where account_sid = $1 and sid = $2",
                             account, sid)
                  .affected_rows() > 0;
    tx.commit();
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return deleted ? absl::OkStatus() : NotFound(sid);
}

absl::StatusOr<std::vector<Trigger>> TriggerRepository::ForCounters(
    const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::vector<Trigger> out;
  if (pairs.empty()) return out;
  std::vector<std::string> accounts, categories;
  for (const auto& [a, c] : pairs) {
    accounts.push_back(a);
    categories.push_back(c);
  }
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    return ReadTriggers(
        tx.exec_params(absl::StrCat("select ", kColumns,
                                    " from usage_triggers t join "
                                    "unnest($1::text[], $2::text[]) as p(account_sid, category) "
                                    "on t.account_sid = p.account_sid and "
                                    "t.usage_category = p.category"),
                       TextArray(accounts), TextArray(categories)),
        &out);
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::vector<Trigger>> TriggerRepository::AllArmable() {
  std::vector<Trigger> out;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    return ReadTriggers(
        tx.exec(absl::StrCat("select ", kColumns,
                             " from usage_triggers t "
                             "where not (t.recurring = '' and t.last_fired_period <> '')")),
        &out);
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<bool> TriggerRepository::Claim(const Trigger& t, const FiringDecision& d,
                                              absl::Time date_fired,
                                              std::optional<absl::Time> event_time) {
  bool claimed = false;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    // The insert is the claim: the (trigger_sid, period) primary key lets one transaction in
    // the whole system through. Selecting the trigger in the same statement makes a deleted
    // trigger insert nothing instead of failing on the foreign key.
    auto inserted = tx.exec_params(
        absl::StrCat("insert into usage_trigger_firings (trigger_sid, period, idempotency_token, "
                     "current_value, fired_at, event_time) select sid, $2, $3, $4::numeric, ",
                     FromMicros(5), ", case when $6 then ", FromMicros(7),
                     " end from usage_triggers where sid = $1 on conflict do nothing"),
        t.sid, d.period, IdempotencyToken(t.account_sid, t.sid, d.period),
        um::FormatMicros(d.current_value), Micros(date_fired), event_time.has_value(),
        Micros(event_time.value_or(absl::UnixEpoch())));
    claimed = inserted.affected_rows() == 1;
    if (claimed) {
      tx.exec_params(absl::StrCat("update usage_triggers set date_fired = ", FromMicros(2),
                                  ", current_value = $3::numeric, last_fired_period = $4 "
                                  "where sid = $1"),
                     t.sid, Micros(date_fired), um::FormatMicros(d.current_value), d.period);
    }
    tx.commit();
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return claimed;
}

absl::StatusOr<std::vector<PendingDelivery>> TriggerRepository::LeaseDue(int limit,
                                                                         absl::Duration lease) {
  std::vector<PendingDelivery> out;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto rows = tx.exec_params(
        absl::StrCat(
            "with due as (select trigger_sid, period from usage_trigger_firings "
            "where delivered_at is null and gave_up_at is null and next_attempt_at <= now() "
            "order by next_attempt_at limit $1 for update skip locked) "
            "update usage_trigger_firings f set next_attempt_at = now() + $2::int8 * interval "
            "'1 microsecond' from due, usage_triggers t where f.trigger_sid = due.trigger_sid and "
            "f.period = due.period and t.sid = f.trigger_sid returning ",
            kColumns,
            ", f.period, f.idempotency_token, f.current_value::text, "
            "(extract(epoch from f.fired_at) * 1000000)::int8, f.attempts, "
            "(extract(epoch from f.event_time) * 1000000)::int8"),
        limit, absl::ToInt64Microseconds(lease));
    for (const auto& row : rows) {
      auto t = ReadTrigger(row);
      auto value = um::ParseMicros(row[kColumnCount + 2].as<std::string>());
      if (!t.ok()) return t.status();
      if (!value.ok()) return absl::DataLossError("usage_trigger_firings row is malformed");
      PendingDelivery p{.trigger = std::move(*t)};
      p.firing.period = row[kColumnCount].as<std::string>();
      p.firing.idempotency_token = row[kColumnCount + 1].as<std::string>();
      p.firing.current_value = *value;
      p.firing.date_fired = absl::FromUnixMicros(row[kColumnCount + 3].as<int64_t>());
      p.attempts = row[kColumnCount + 4].as<int>();
      if (!row[kColumnCount + 5].is_null()) {
        p.event_time = absl::FromUnixMicros(row[kColumnCount + 5].as<int64_t>());
      }
      out.push_back(std::move(p));
    }
    tx.commit();
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::Status TriggerRepository::RecordAttempt(const PendingDelivery& d, const AttemptResult& r,
                                              absl::Duration retry_in, absl::Duration max_age) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    int attempt = d.attempts + 1;
    tx.exec_params(
        "insert into usage_trigger_attempts (trigger_sid, period, attempt, http_status, error, "
        "duration_ms) select $1, $2, $3, nullif($4, 0), nullif($5, ''), $6 "
        "where exists (select 1 from usage_trigger_firings where trigger_sid = $1 and period = $2) "
        "on conflict do nothing",
        d.trigger.sid, d.firing.period, attempt, r.http_status, r.error,
        static_cast<int>(absl::ToInt64Milliseconds(r.duration)));
    tx.exec_params(
        "update usage_trigger_firings set attempts = greatest(attempts, $3), "
        "last_error = nullif($4, ''), "
        "delivered_at = case when $5 then now() end, "
        "next_attempt_at = now() + $6::int8 * interval '1 microsecond', "
        "gave_up_at = case when not $5 and now() - enqueued_at >= $7::int8 * interval "
        "'1 microsecond' then now() end "
        "where trigger_sid = $1 and period = $2 and delivered_at is null",
        d.trigger.sid, d.firing.period, attempt, r.error, r.delivered(),
        absl::ToInt64Microseconds(retry_in), absl::ToInt64Microseconds(max_age));
    tx.commit();
    return absl::OkStatus();
  });
}

}  // namespace dialtone::triggers

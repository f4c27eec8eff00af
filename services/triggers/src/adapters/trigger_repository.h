// usage_triggers, usage_trigger_firings (the outbox) and usage_trigger_attempts in PostgreSQL.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dialtone/pg/pg_pool.h"
#include "domain/callback_params.h"
#include "domain/evaluation.h"
#include "domain/trigger.h"

namespace dialtone::triggers {

// A firing awaiting delivery, with its trigger as it is now (the callback URL may have changed
// since the firing).
struct PendingDelivery {
  Trigger trigger;
  Firing firing;
  int attempts = 0;                      // made before this one
  std::optional<absl::Time> event_time;  // newest usage event behind the firing, when known
};

struct AttemptResult {
  int http_status = 0;  // 0: no answer (connection refused, timeout...)
  std::string error;    // empty on a 2xx
  absl::Duration duration;
  bool delivered() const { return http_status >= 200 && http_status < 300; }
};

// Thread-safe (the pool is). Every method is one transaction.
//
//   TriggerRepository repo(pool);
//   auto claimed = repo.Claim(trigger, decision, absl::Now(), std::nullopt);  // true: ours to send
class TriggerRepository {
 public:
  explicit TriggerRepository(pg::PgPool& pool) : pool_(pool) {}

  absl::Status Create(const Trigger& trigger);
  // NotFound (20404) when the account has no such trigger.
  absl::StatusOr<Trigger> Get(const std::string& account, const std::string& sid);

  struct ListQuery {
    std::string account_sid;
    std::string usage_category;  // empty: any
    std::optional<Recurring> recurring;
    std::optional<TriggerBy> trigger_by;
    int page_size = 50;
    std::string after_sid;  // keyset: the last SID of the previous page
  };
  // Oldest first; at most page_size + 1 rows (one more tells there is a next page).
  absl::StatusOr<std::vector<Trigger>> List(const ListQuery& query);

  struct Update {
    std::optional<std::string> friendly_name;
    std::optional<std::string> callback_url;
    std::optional<CallbackMethod> callback_method;
  };
  absl::StatusOr<Trigger> Apply(const std::string& account, const std::string& sid,
                                const Update& update, absl::Time now);
  absl::Status Delete(const std::string& account, const std::string& sid);

  // Triggers on any of the (account, category) pairs.
  absl::StatusOr<std::vector<Trigger>> ForCounters(
      const std::vector<std::pair<std::string, std::string>>& account_categories);
  // Every trigger (the sweep), except non-recurring ones that fired already.
  absl::StatusOr<std::vector<Trigger>> AllArmable();

  // In one transaction: inserts the (trigger, period) firing, which is also the outbox row, and
  // records date_fired/current_value on the trigger. False when that firing exists already
  // (another process, or an earlier evaluation, claimed it) or the trigger was deleted.
  absl::StatusOr<bool> Claim(const Trigger& trigger, const FiringDecision& decision,
                             absl::Time date_fired, std::optional<absl::Time> event_time);

  // Leases up to `limit` due, undelivered firings (SELECT … FOR UPDATE SKIP LOCKED, then
  // next_attempt_at = now() + lease), so that concurrent senders, in this process or another,
  // never take the same row, and a sender that dies leaves it due again once the lease expires.
  absl::StatusOr<std::vector<PendingDelivery>> LeaseDue(int limit, absl::Duration lease);

  // Records attempt number `delivery.attempts + 1`. On a 2xx the firing is delivered; otherwise
  // it is due again after `retry_in`, or given up when it was enqueued more than `max_age` ago.
  absl::Status RecordAttempt(const PendingDelivery& delivery, const AttemptResult& result,
                             absl::Duration retry_in, absl::Duration max_age);

 private:
  pg::PgPool& pool_;
};

}  // namespace dialtone::triggers

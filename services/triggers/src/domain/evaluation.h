// The should-fire decision: a trigger against one counter value. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/trigger.h"

namespace dialtone::triggers {

// One counter of one account and category for one period, as metering reports it (after an
// increment, or read by the sweep). Usage and price in micro-units, count as a whole number.
struct CounterSnapshot {
  std::string account_sid;
  std::string category;
  std::string period;  // "daily:2026-11-25", ..., "alltime"
  int64_t count = 0;
  int64_t usage = 0;
  int64_t price = 0;
};

// What a firing claims: the (trigger, period) key and the value that crossed.
struct FiringDecision {
  std::string period;         // firing key: the counter period, or "once"
  int64_t current_value = 0;  // micro-units
};

// The value the trigger compares, in micro-units (count * 10^6 for TriggerBy=count).
int64_t ValueFor(TriggerBy by, const CounterSnapshot& counter);

// Fires when the snapshot is the trigger's account and category, of the period kind it watches,
// not of a period that ended before the trigger existed, has reached the trigger value, and the
// trigger has not already fired for that period (per `last_fired_period`; the firings table's
// primary key decides for good).
std::optional<FiringDecision> Evaluate(const Trigger& trigger, const CounterSnapshot& counter);

}  // namespace dialtone::triggers

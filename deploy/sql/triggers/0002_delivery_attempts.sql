-- Evaluation shortcut, delivery bookkeeping and the record of every callback attempt.
-- The firing period last claimed, so evaluation skips a trigger that fired this period without a
-- round trip (the firings primary key stays the truth).
alter table usage_triggers add column last_fired_period text not null default '';

-- enqueued_at is PostgreSQL's clock (fired_at follows the service's, injectable, clock): the
-- delivery max age is measured from it. event_time is the newest usage event behind the firing,
-- for the event -> callback latency. gave_up_at is set when the max age passed undelivered.
alter table usage_trigger_firings
  add column enqueued_at timestamptz not null default now(),
  add column event_time timestamptz,
  add column gave_up_at timestamptz;

drop index usage_trigger_firings_pending;
create index usage_trigger_firings_pending on usage_trigger_firings (next_attempt_at)
  where delivered_at is null and gave_up_at is null;

-- One row per callback attempt.
create table usage_trigger_attempts (
  trigger_sid text not null,
  period text not null,
  attempt integer not null,
  attempted_at timestamptz not null default now(),
  http_status integer,
  error text,
  duration_ms integer not null,
  primary key (trigger_sid, period, attempt),
  foreign key (trigger_sid, period) references usage_trigger_firings (trigger_sid, period)
    on delete cascade
);

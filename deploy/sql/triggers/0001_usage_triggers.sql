-- Usage triggers, their firings and the callback outbox (owned by triggers).
create table usage_triggers (
  sid text primary key check (sid ~ '^UT[0-9a-f]{32}$'),
  account_sid text not null,
  friendly_name text not null default '',
  usage_category text not null,
  trigger_by text not null check (trigger_by in ('count', 'usage', 'price')),
  trigger_value numeric not null,
  recurring text not null check (recurring in ('', 'daily', 'monthly', 'yearly', 'alltime')),
  callback_url text not null,
  callback_method text not null default 'POST',
  current_value numeric not null default 0,
  date_fired timestamptz,
  date_created timestamptz not null default now(),
  date_updated timestamptz not null default now()
);
create index usage_triggers_account on usage_triggers (account_sid, date_created, sid);
create index usage_triggers_category on usage_triggers (account_sid, usage_category);

-- One row per (trigger, period): the primary key makes a firing happen once.
create table usage_trigger_firings (
  trigger_sid text not null references usage_triggers (sid) on delete cascade,
  period text not null,
  idempotency_token text not null unique,
  current_value numeric not null,
  fired_at timestamptz not null default now(),
  delivered_at timestamptz,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  primary key (trigger_sid, period)
);
create index usage_trigger_firings_pending on usage_trigger_firings (next_attempt_at)
  where delivered_at is null;

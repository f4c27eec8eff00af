-- Daily usage roll-ups copied from the Redis counters (owned by usage-metering).
create table usage_daily (
  account_sid text not null,
  category text not null,
  day date not null,
  count bigint not null default 0,
  usage numeric not null default 0,
  price numeric not null default 0,
  updated_at timestamptz not null default now(),
  primary key (account_sid, category, day)
);

-- Accounts and their API credentials (owned by rest-gateway).
create table accounts (
  sid text primary key check (sid ~ '^AC[0-9a-f]{32}$'),
  friendly_name text not null,
  status text not null default 'active' check (status in ('active', 'suspended', 'closed')),
  auth_token text not null,
  owner_account_sid text not null,
  type text not null default 'Full' check (type in ('Full', 'Trial')),
  date_created timestamptz not null default now(),
  date_updated timestamptz not null default now()
);
create index accounts_date_created on accounts (date_created, sid);

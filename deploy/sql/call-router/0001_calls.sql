-- Calls, recordings, applications and incoming phone numbers (owned by call-router).
create table applications (
  sid text primary key check (sid ~ '^AP[0-9a-f]{32}$'),
  account_sid text not null,
  friendly_name text not null default '',
  voice_url text not null default '',
  voice_method text not null default 'POST',
  voice_fallback_url text not null default '',
  voice_fallback_method text not null default 'POST',
  status_callback text not null default '',
  status_callback_method text not null default 'POST',
  voice_caller_id_lookup boolean not null default false,
  sms_url text not null default '',
  sms_method text not null default 'POST',
  sms_fallback_url text not null default '',
  sms_fallback_method text not null default 'POST',
  sms_status_callback text not null default '',
  message_status_callback text not null default '',
  public_application_connect_enabled boolean not null default false,
  date_created timestamptz not null default now(),
  date_updated timestamptz not null default now()
);
create index applications_account on applications (account_sid, date_created, sid);

create table incoming_phone_numbers (
  sid text primary key check (sid ~ '^PN[0-9a-f]{32}$'),
  account_sid text not null,
  phone_number text not null unique,
  friendly_name text not null default '',
  voice_url text not null default '',
  voice_method text not null default 'POST',
  voice_fallback_url text not null default '',
  voice_fallback_method text not null default 'POST',
  status_callback text not null default '',
  status_callback_method text not null default 'POST',
  voice_application_sid text references applications (sid) on delete set null,
  voice_caller_id_lookup boolean not null default false,
  sms_url text not null default '',
  sms_method text not null default 'POST',
  origin text not null default 'twilio',
  date_created timestamptz not null default now(),
  date_updated timestamptz not null default now()
);
create index incoming_phone_numbers_account on incoming_phone_numbers (account_sid, date_created, sid);

create table calls (
  sid text primary key check (sid ~ '^CA[0-9a-f]{32}$'),
  account_sid text not null,
  parent_call_sid text references calls (sid) on delete set null,
  to_number text not null,
  from_number text not null,
  phone_number_sid text,
  status text not null check (status in ('queued', 'ringing', 'in-progress', 'completed',
                                         'busy', 'failed', 'no-answer', 'canceled')),
  direction text not null check (direction in ('inbound', 'outbound-api', 'outbound-dial')),
  start_time timestamptz,
  end_time timestamptz,
  duration integer,
  answered_by text,
  forwarded_from text,
  caller_name text,
  price numeric,
  price_unit text not null default 'USD',
  date_created timestamptz not null default now(),
  date_updated timestamptz not null default now()
);
create index calls_account on calls (account_sid, date_created desc, sid);
create index calls_parent on calls (parent_call_sid) where parent_call_sid is not null;

create table recordings (
  sid text primary key check (sid ~ '^RE[0-9a-f]{32}$'),
  account_sid text not null,
  call_sid text references calls (sid) on delete set null,
  status text not null,
  duration integer,
  channels integer not null default 1,
  source text not null,
  track text not null default 'both',
  media_sid text,
  media_url text,
  error_code integer,
  start_time timestamptz,
  date_created timestamptz not null default now(),
  date_updated timestamptz not null default now()
);
create index recordings_account on recordings (account_sid, date_created desc, sid);
create index recordings_call on recordings (call_sid);

-- An account's own settings (recording media access, limits); a null column takes the platform's
-- default (rest-gateway's DIALTONE_RECORDING_MEDIA_AUTH and DIALTONE_LIMIT_*). A row changes
-- through any replica: every cache hears it on dialtone_accounts, as for the account itself.
create table account_settings (
  account_sid text primary key references accounts (sid) on delete cascade,
  media_http_auth boolean,
  calls_per_second integer,
  max_concurrent_calls integer,
  max_call_seconds integer,
  max_quiet_steps integer,
  api_requests_per_second integer,
  date_updated timestamptz not null default now()
);

create function dialtone_account_settings_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('dialtone_accounts', coalesce(new.account_sid, old.account_sid));
  return null;
end $$;
create trigger account_settings_changed after insert or update or delete on account_settings
  for each row execute function dialtone_account_settings_changed();

-- What another call-router needs to end a call whose router died (issue 17): the status
-- callback the call reports to, kept with the call rather than only in the router's memory.
alter table calls add column status_callback text;
alter table calls add column status_callback_method text;
-- StatusCallbackEvent as given ("initiated ringing answered completed"), space-separated.
alter table calls add column status_callback_events text;

-- Every router caches numbers' and applications' voice settings: a change through any replica
-- tells all of them (LISTEN dialtone_routes), in the same transaction as the change.
create function dialtone_routes_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('dialtone_routes', '');
  return null;
end $$;
create trigger incoming_phone_numbers_changed after insert or update or delete
  on incoming_phone_numbers for each statement execute function dialtone_routes_changed();
create trigger applications_changed after insert or update or delete
  on applications for each statement execute function dialtone_routes_changed();

-- Gateways keep the answers of ended calls: a DELETE through any replica tells all of them
-- (LISTEN dialtone_calls_deleted, payload "<AccountSid>/<CallSid>").
create function dialtone_call_deleted() returns trigger language plpgsql as $$
begin
  perform pg_notify('dialtone_calls_deleted', old.account_sid || '/' || old.sid);
  return null;
end $$;
create trigger calls_deleted after delete on calls
  for each row execute function dialtone_call_deleted();

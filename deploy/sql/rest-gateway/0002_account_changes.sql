-- Every gateway and router caches accounts (credentials, auth tokens) for a moment: a change
-- through any replica tells all of them (LISTEN dialtone_accounts, payload the account SID), in
-- the same transaction as the change, so none answers with what another has changed.
create function dialtone_account_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('dialtone_accounts', coalesce(new.sid, old.sid));
  return null;
end $$;
create trigger accounts_changed after insert or update or delete on accounts
  for each row execute function dialtone_account_changed();

-- When an admin disabled the account, or null: a disabled account cannot sign in, exchange a
-- personal access token or get a token from the authorization server.
alter table users add column disabled_at timestamp with time zone;

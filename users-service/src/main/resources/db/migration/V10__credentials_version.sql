-- Each cut-off of an account's credentials (a password reset or change, signing out everywhere,
-- an admin disabling it) raises its credentials version. Access tokens carry the version they were
-- issued at, and the services refuse a user's token of an older version: they fetch the cut-offs
-- of the last minutes (GET /internal/credential-cut-offs) every few seconds.
alter table users add column credentials_version bigint not null default 0;
alter table users add column credentials_cut_off_at timestamp with time zone;
create index users_credentials_cut_off_at on users (credentials_cut_off_at);

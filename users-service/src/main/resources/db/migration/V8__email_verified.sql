-- When the owner of the address proved it, by using a link emailed to it (the confirmation link of
-- the welcome email, or a set-password link). Null until then: what the address entitles to
-- (ADMIN by bugtracker.security.admins) applies only once it is proven.
alter table users add column email_verified_at timestamp with time zone;

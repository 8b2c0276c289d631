-- Accounts: the password hash in Spring Security's DelegatingPasswordEncoder format
-- ("{bcrypt}$2a$..."); null until the user sets one (at sign-up or through the emailed link).
alter table users add column password_hash varchar(500);

-- Roles beyond USER, which every account has. ADMIN is also granted by configuration
-- (bugtracker.security.admins), which is not stored here.
create table user_roles (
    user_id bigint      not null references users (id) on delete cascade,
    role    varchar(20) not null,
    constraint user_roles_pk primary key (user_id, role),
    constraint user_roles_role_ck check (role in ('MAINTAINER', 'ADMIN'))
);

-- The one-time tokens of the set-password links, owned by Spring Security's
-- JdbcOneTimeTokenService (its table, with the user's id as username). A token is deleted when
-- it is used, so it works once; expired ones are deleted by the service's hourly clean-up.
create table one_time_tokens (
    token_value varchar(36) not null primary key,
    username    varchar(50) not null,
    expires_at  timestamp   not null
);

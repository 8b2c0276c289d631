-- Idempotency keys of POST requests (dev.bugtracker.platform.idempotency), owned by platform and
-- applied in every service that sets bugtracker.idempotency.enabled=true. A repeatable migration:
-- keep every statement idempotent (IF NOT EXISTS).
create table if not exists idempotency_key (
    idempotency_key varchar(200)             not null primary key,
    fingerprint     varchar(64)              not null,
    state           varchar(16)              not null,
    status          integer,
    content_type    varchar(200),
    location        varchar(2000),
    body            text,
    created_at      timestamp with time zone not null,
    expires_at      timestamp with time zone not null
);
create index if not exists idempotency_key_expires_idx on idempotency_key (expires_at);

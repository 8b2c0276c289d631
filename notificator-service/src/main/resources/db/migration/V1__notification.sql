-- Every notification notificator was asked to send, one row per idempotency key.
create table notification (
    id              uuid primary key,
    idempotency_key varchar(200)             not null,
    channel         varchar(16)              not null,
    recipient       varchar(320)             not null,
    subject         varchar(998)             not null,
    body            text                     not null,
    status          varchar(16)              not null,
    attempts        integer                  not null,
    last_error      varchar(1000),
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    sent_at         timestamp with time zone,
    constraint notification_idempotency_key_uq unique (idempotency_key)
);

create index notification_recipient_idx on notification (recipient);

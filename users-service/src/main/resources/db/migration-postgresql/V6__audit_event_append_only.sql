-- audit_event is append-only: no update, no delete, whoever asks (the service's own user included).
create function audit_event_append_only() returns trigger
language plpgsql as $$
begin
    raise exception 'audit_event is append-only: % is not allowed', tg_op;
end;
$$;
create trigger audit_event_append_only
    before update or delete on audit_event
    for each statement execute function audit_event_append_only();

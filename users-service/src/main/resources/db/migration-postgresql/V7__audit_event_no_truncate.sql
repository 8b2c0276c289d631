-- TRUNCATE does not fire row or update/delete triggers: refuse it too, whoever asks.
create trigger audit_event_no_truncate
    before truncate on audit_event
    for each statement execute function audit_event_append_only();

-- H2 (the zero-install local database) has no PL/pgSQL: there, audit_event is append-only because the
-- service only inserts and reads. PostgreSQL enforces it with a trigger (db/migration-postgresql).
comment on table audit_event is 'Append-only audit log of security-relevant events';

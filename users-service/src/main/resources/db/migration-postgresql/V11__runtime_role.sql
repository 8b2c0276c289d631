-- The role users-service runs as (spring.datasource.username), where it is not the role that runs
-- the migrations (docker, k8s: users_app, made by deployments/postgres/init-databases.sh; the owner
-- "users" migrates): it gets what the service does with each table, and no more. The audit log takes
-- inserts and reads only: the service's own connections can neither change nor remove an entry, nor
-- drop the triggers that guard it (only the owner could). Where one role does both (locally, in
-- tests), there is nothing to grant.
do $$
declare
    runtime text := '${runtimerole}';
begin
    if runtime = '' or runtime = current_user or not exists (select from pg_roles where rolname = runtime) then
        raise notice 'no runtime role apart from %: nothing granted', current_user;
        return;
    end if;
    execute format('grant usage on schema public to %I', runtime);
    execute format('grant select, insert, update, delete on all tables in schema public to %I', runtime);
    execute format('grant usage, select on all sequences in schema public to %I', runtime);
    execute format('alter default privileges in schema public grant select, insert, update, delete on tables to %I',
                   runtime);
    execute format('alter default privileges in schema public grant usage, select on sequences to %I', runtime);
    execute format('revoke update, delete, truncate, references, trigger on audit_event from %I', runtime);
    execute format('revoke all on flyway_schema_history from %I', runtime);
end
$$;

-- Full-text search of title and description (GET /bugs?q=...), kept up to date by PostgreSQL.
alter table bug add column search tsvector
    generated always as (to_tsvector('english', coalesce(title, '') || ' ' || coalesce(description, ''))) stored;
create index bug_search_idx on bug using gin (search);

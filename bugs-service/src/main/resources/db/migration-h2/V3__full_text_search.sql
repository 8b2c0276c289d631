-- The local H2 default searches title and description with LIKE (see BugSearch); PostgreSQL gets a
-- full-text index in its own V3. This keeps the version numbers of both aligned.
create index bug_title_idx on bug (title);

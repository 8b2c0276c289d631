-- Access tokens invalidated before they expire: revoked by their client (OAuth2 token revocation,
-- RFC 7009, at /oauth2/revoke) or by Spring Authorization Server itself (with a revoked refresh
-- token, or when an authorization code is used twice). Published with the credential cut-offs
-- (GET /internal/credential-cut-offs), so that every service refuses them, not only the
-- authorization server's introspection; a row is no use once its token has expired.
create table revoked_access_token (
    token_id   varchar(100) primary key,
    expires_at timestamp with time zone not null,
    revoked_at timestamp with time zone not null
);
create index revoked_access_token_revoked_at on revoked_access_token (revoked_at);

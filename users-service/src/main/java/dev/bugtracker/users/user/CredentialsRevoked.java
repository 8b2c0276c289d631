package dev.bugtracker.users.user;

/**
 * Whoever holds one of an account's credentials must be cut off: its password was reset
 * or changed, its owner signed out everywhere, or an admin disabled it. Published inside
 * the transaction of the change; the listeners revoke, in the same transaction,
 * everything a credential of the account could have made: personal access tokens, login
 * sessions, OAuth2 authorizations (their refresh tokens).
 *
 * @param userId the account
 * @param email its address, the principal name of its sessions and authorizations
 * @param reason why, for the logs and the audit log
 */
public record CredentialsRevoked(long userId, String email, String reason) {
}

package dev.bugtracker.users.user;

/**
 * A password replaced through an emailed link: whoever knew the old one must be cut off.
 * Published inside the transaction of the change; the listeners revoke, in the same
 * transaction, what the old password could have made (personal access tokens, login
 * sessions, OAuth2 authorizations).
 *
 * @param userId the account
 * @param email its address, the principal name of its sessions and authorizations
 */
public record CredentialsReplaced(long userId, String email) {
}

package dev.bugtracker.users.audit;

/**
 * The kinds of security-relevant event the audit log records.
 */
public enum AuditEventType {

	/** An account was created. */
	SIGN_UP,
	/** Someone signed in with a password on the login page. */
	LOGIN,
	/** A password check failed (login page or HTTP Basic). */
	LOGIN_FAILED,
	/** A password was set through an emailed one-time link. */
	PASSWORD_SET,
	/** Someone asked for a password reset link for an existing account. */
	PASSWORD_RESET_REQUESTED,
	/** An account's owner proved the address with the welcome email's link. */
	EMAIL_VERIFIED,
	/** A password was changed with the current one (or a change was refused). */
	PASSWORD_CHANGED,
	/** An account's owner revoked every token and session of it. */
	SIGNED_OUT_EVERYWHERE,
	/** An admin disabled an account. */
	ACCOUNT_DISABLED,
	/** An admin enabled a disabled account again. */
	ACCOUNT_ENABLED,
	/** A personal access token was created. */
	TOKEN_CREATED,
	/** A personal access token was revoked. */
	TOKEN_REVOKED,
	/** An admin granted a role. */
	ROLE_GRANTED,
	/** An admin took a role back. */
	ROLE_REVOKED

}

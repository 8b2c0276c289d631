package dev.bugtracker.users.user.web;

/**
 * What a password must be: long, rather than made of required kinds of characters (NIST
 * SP 800-63B).
 */
final class PasswordRules {

	static final int MIN = 12;

	static final int MAX = 128;

	static final String MESSAGE = "must be 12 to 128 characters long";

	private PasswordRules() {
	}

}

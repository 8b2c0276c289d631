package dev.bugtracker.users.user.web;

import java.nio.charset.StandardCharsets;

import dev.bugtracker.platform.web.InvalidParameterException;

/**
 * What a password must be: long, rather than made of required kinds of characters (NIST
 * SP 800-63B), and no longer than bcrypt reads (72 bytes: it would ignore the rest, and
 * Spring Security's encoder refuses more).
 */
final class PasswordRules {

	static final int MIN = 12;

	static final int MAX = 72;

	static final String MESSAGE = "must be 12 to 72 characters long";

	private PasswordRules() {
	}

	/**
	 * Characters beyond ASCII take several bytes: 72 of them may still be too many.
	 * @param password a password of 12 to 72 characters, or null
	 * @return the password
	 * @throws InvalidParameterException if it is over 72 bytes in UTF-8
	 */
	static String encodable(String password) {
		if (password != null && password.getBytes(StandardCharsets.UTF_8).length > MAX) {
			throw new InvalidParameterException("password",
					"must be at most 72 bytes in UTF-8 (letters beyond ASCII take 2 to 4 bytes each)");
		}
		return password;
	}

}

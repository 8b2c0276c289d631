package dev.bugtracker.users.user;

import java.util.Locale;

/**
 * An email address in its canonical form: trimmed and lower-cased, so that one mailbox is
 * one user whatever case it was typed in. Format validation happens at the edge.
 *
 * @param value the canonical address
 */
public record EmailAddress(String value) {

	/**
	 * Normalise an address as typed.
	 * @param raw the address
	 * @return the canonical address
	 */
	public static EmailAddress of(String raw) {
		return new EmailAddress(raw.strip().toLowerCase(Locale.ROOT));
	}

}

package dev.bugtracker.users.user;

/**
 * An emailed link (to set a password, or to confirm the address) whose token is unknown,
 * used already, expired, or meant for the other kind of link.
 */
public class EmailLinkInvalidException extends RuntimeException {

	private final String title;

	private EmailLinkInvalidException(String title) {
		super("The link is unknown, used already or expired; ask for a new one");
		this.title = title;
	}

	static EmailLinkInvalidException password() {
		return new EmailLinkInvalidException("Invalid password link");
	}

	static EmailLinkInvalidException confirmation() {
		return new EmailLinkInvalidException("Invalid confirmation link");
	}

	/**
	 * @return the title of the problem: which kind of link it was
	 */
	public String getTitle() {
		return this.title;
	}

}

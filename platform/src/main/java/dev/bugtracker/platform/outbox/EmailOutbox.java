package dev.bugtracker.platform.outbox;

/**
 * Where services put the emails they want sent.
 * <p>
 * The {@code email_outbox} table is created by this module's own repeatable Flyway
 * migration ({@code db/outbox/R__email_outbox.sql}), added to the service's Flyway
 * locations automatically.
 */
public interface EmailOutbox {

	/**
	 * Record an email in the current transaction. It is delivered after the transaction
	 * commits, and never if it rolls back.
	 * @param email the email to send
	 * @throws IllegalStateException if no transaction is active
	 */
	void enqueue(OutgoingEmail email);

}

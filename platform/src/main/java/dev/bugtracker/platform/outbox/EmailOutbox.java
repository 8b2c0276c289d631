package dev.bugtracker.platform.outbox;

/**
 * Where services put the emails they want sent.
 * <p>
 * Needs the table created by the service's own Flyway migration (see {@code email_outbox}
 * in users-service for the reference schema).
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

package dev.bugtracker.users.audit;

import java.time.Instant;

/**
 * One entry of the audit log.
 *
 * @param id its id, in the order of recording
 * @param occurredAt when
 * @param type what
 * @param actor who: a user id, a service's client id, the email of a password login, or
 * {@code anonymous}
 * @param subject what it concerns ({@code user:42}, {@code token:7}), if anything
 * @param outcome {@code SUCCESS} or {@code FAILURE}
 * @param clientAddress from where: the client's address
 * @param traceId the trace of the request, to find its logs
 * @param details more about it (the role, the token's name), if anything
 */
public record AuditEvent(long id, Instant occurredAt, AuditEventType type, String actor, String subject,
		Outcome outcome, String clientAddress, String traceId, String details) {

	/** Whether the action succeeded. */
	public enum Outcome {

		SUCCESS, FAILURE

	}

}

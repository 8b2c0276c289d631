package dev.bugtracker.users.audit;

import java.time.Instant;

/**
 * Which audit entries to list; every criterion is optional.
 *
 * @param type only this kind of event
 * @param actor only this actor's
 * @param outcome only successes or only failures
 * @param from from this time on (inclusive)
 * @param to before this time (exclusive)
 */
public record AuditQuery(AuditEventType type, String actor, AuditEvent.Outcome outcome, Instant from, Instant to) {

}

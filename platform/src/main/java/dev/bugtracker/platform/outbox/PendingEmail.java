package dev.bugtracker.platform.outbox;

import java.time.Instant;

/**
 * An outbox row claimed for delivery.
 *
 * @param id the row id
 * @param email what to send
 * @param traceParent W3C {@code traceparent} of the request that recorded it, if any
 * @param attempts delivery attempts so far
 * @param claimedUntil end of this instance's lease on the row
 */
record PendingEmail(long id, OutgoingEmail email, String traceParent, int attempts, Instant claimedUntil) {
}

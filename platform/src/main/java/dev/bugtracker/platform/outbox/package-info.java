/**
 * The transactional email outbox: services record emails in their own database, in the
 * same transaction as the change that causes them, and a relay delivers them to
 * notificator over gRPC with retries, backoff and a circuit breaker.
 */
package dev.bugtracker.platform.outbox;

package dev.bugtracker.platform.outbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the email outbox and its relay.
 *
 * @param enabled whether this service has an outbox (its schema must contain
 * {@code email_outbox})
 * @param pollInterval how often the relay looks for due emails when nothing wakes it
 * @param batchSize how many due emails one pass claims at most
 * @param lease how long a claimed email stays reserved for the instance that claimed it
 * @param initialBackoff delay before the first retry
 * @param maxBackoff longest delay between two retries
 * @param multiplier growth of the delay from one retry to the next
 * @param channel the name of the gRPC channel to notificator
 * ({@code spring.grpc.client.channel.<name>})
 * @param deadline deadline of each gRPC call
 * @param circuitBreaker the Resilience4j circuit breaker instance around the calls
 * @param retention how long delivered emails are kept in the outbox table
 */
@ConfigurationProperties("bugtracker.outbox")
public record OutboxProperties(@DefaultValue("false") boolean enabled, @DefaultValue("1s") Duration pollInterval,
		@DefaultValue("50") int batchSize, @DefaultValue("30s") Duration lease,
		@DefaultValue("1s") Duration initialBackoff, @DefaultValue("30s") Duration maxBackoff,
		@DefaultValue("2") double multiplier, @DefaultValue("notificator") String channel,
		@DefaultValue("3s") Duration deadline, @DefaultValue("notificator") String circuitBreaker,
		@DefaultValue("7d") Duration retention) {
}

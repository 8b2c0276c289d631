package dev.bugtracker.platform.idempotency;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of idempotent POSTs.
 *
 * @param enabled whether this service honours {@code Idempotency-Key}
 * @param paths the POST paths that do (Ant patterns, e.g. {@code /bugs/* /comments})
 * @param ttl how long a key is remembered
 * @param lease how long a request in progress holds its key before a repeat may take it
 * over (only after a crash; a running request finishes well within it)
 */
@ConfigurationProperties("bugtracker.idempotency")
public record IdempotencyProperties(@DefaultValue("false") boolean enabled, @DefaultValue List<String> paths,
		@DefaultValue("24h") Duration ttl, @DefaultValue("60s") Duration lease) {
}

package dev.bugtracker.platform.idempotency;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of idempotent writes.
 *
 * @param enabled whether this service honours {@code Idempotency-Key}
 * @param paths the paths whose POST, PUT, PATCH and DELETE requests do (Ant patterns,
 * e.g. {@code /bugs/**})
 * @param ttl how long a key is remembered
 */
@ConfigurationProperties("bugtracker.idempotency")
public record IdempotencyProperties(@DefaultValue("false") boolean enabled, @DefaultValue List<String> paths,
		@DefaultValue("24h") Duration ttl) {
}

package dev.bugtracker.platform.discovery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How an instance leaves the registry when it shuts down.
 *
 * @param deregistrationDelay how long to stay up after marking the instance DOWN, before
 * draining: the callers' registry fetch interval plus their load balancer cache
 */
@ConfigurationProperties("bugtracker.shutdown")
public record ShutdownProperties(@DefaultValue("5s") Duration deregistrationDelay) {
}

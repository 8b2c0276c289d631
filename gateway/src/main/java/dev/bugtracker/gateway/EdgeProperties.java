package dev.bugtracker.gateway;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Rules the gateway applies to every request before it is routed.
 *
 * @param maxRequestBody largest declared request body; larger ones get 413
 * @param discardRefusedBodyUpTo how large a refused body the gateway still reads (and
 * drops) before it answers 413, so that a client still sending it reads the answer
 * instead of a reset connection; larger ones are answered at once
 * @param personalAccessTokenCache how long an exchange of a personal access token is
 * reused (never beyond the access token's expiry): the longest a revoked personal access
 * token keeps working at a gateway
 */
@ConfigurationProperties("bugtracker.gateway")
record EdgeProperties(@DefaultValue("1MB") DataSize maxRequestBody,
		@DefaultValue("16MB") DataSize discardRefusedBodyUpTo, @DefaultValue("30s") Duration personalAccessTokenCache) {
}

package dev.bugtracker.users.token;

import java.time.Duration;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Personal access tokens.
 *
 * @param scopes the scopes a token may be given
 * @param maxDays the longest a token may live, in days
 * @param exchangedLifetime how long the access token that a personal access token is
 * exchanged for lives (the gateway caches it for at most 30 s, so a revoked token stops
 * working within 30 s)
 */
@ConfigurationProperties("bugtracker.security.personal-access-tokens")
public record PersonalAccessTokenProperties(@DefaultValue( {
		"bugs:read", "bugs:write", "users:read", "users:write" }) Set<String> scopes, @DefaultValue("365") int maxDays,
		@DefaultValue("5m") Duration exchangedLifetime){
}

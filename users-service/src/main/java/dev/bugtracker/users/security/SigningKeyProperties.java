package dev.bugtracker.users.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the keys that sign access tokens rotate. The keys live in users-service's database,
 * so every instance signs with the same key and a restart changes nothing; the first
 * instance to start generates the first key.
 *
 * @param rotateEvery how long a key signs before the next one takes over
 * @param publishAhead how long before it takes over a new key is published in the JWKS:
 * at least twice the refresh interval, so that every users-service instance publishes it
 * before any signs with it (the verifying services fetch the JWKS again when they meet a
 * key they do not know)
 * @param retireAfter how long a replaced key stays published: longer than an access token
 * lives, so that the tokens it signed stay valid until they expire
 * @param refreshInterval how often each instance reads the keys again (to rotate, and to
 * learn of a rotation made by another instance)
 */
@ConfigurationProperties("bugtracker.security.signing-keys")
record SigningKeyProperties(@DefaultValue("30d") Duration rotateEvery, @DefaultValue("1h") Duration publishAhead,
		@DefaultValue("1h") Duration retireAfter, @DefaultValue("30s") Duration refreshInterval) {

	SigningKeyProperties {
		if (publishAhead.compareTo(rotateEvery) >= 0) {
			throw new IllegalArgumentException("bugtracker.security.signing-keys.publish-ahead (" + publishAhead
					+ ") must be shorter than rotate-every (" + rotateEvery + ")");
		}
		if (publishAhead.compareTo(refreshInterval.multipliedBy(2)) < 0) {
			throw new IllegalArgumentException("bugtracker.security.signing-keys.publish-ahead (" + publishAhead
					+ ") must be at least twice refresh-interval (" + refreshInterval
					+ "): every instance must have read a new key before any signs with it");
		}
	}

}

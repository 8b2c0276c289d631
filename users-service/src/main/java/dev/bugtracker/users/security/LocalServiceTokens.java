package dev.bugtracker.users.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.bugtracker.platform.security.ServiceTokens;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * users-service's own access tokens, for its calls to notificator (scope
 * {@code notifications:send}): signed here, as the authorization server would issue them
 * to a {@code client_credentials} client. A token lives 5 minutes and is replaced a
 * minute before it expires.
 */
class LocalServiceTokens implements ServiceTokens {

	static final String SUBJECT = "users-service";

	private static final Duration LIFETIME = Duration.ofMinutes(5);

	private static final Duration RENEW_BEFORE = Duration.ofMinutes(1);

	private final AccessTokens tokens;

	private final Clock clock;

	private volatile Jwt current;

	LocalServiceTokens(AccessTokens tokens, Clock clock) {
		this.tokens = tokens;
		this.clock = clock;
	}

	@Override
	public String accessToken() {
		Instant now = this.clock.instant();
		Jwt token = this.current;
		if (token == null || token.getExpiresAt().minus(RENEW_BEFORE).isBefore(now)) {
			synchronized (this) {
				token = this.current;
				if (token == null || token.getExpiresAt().minus(RENEW_BEFORE).isBefore(now)) {
					token = this.tokens.mintForService(SUBJECT, List.of("notifications:send"), now, now.plus(LIFETIME));
					this.current = token;
				}
			}
		}
		return token.getTokenValue();
	}

}

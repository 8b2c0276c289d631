package dev.bugtracker.platform.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers the access tokens it has verified, so that a client sending the same token
 * again and again (a script, the web client, the gateway's exchange of a personal access
 * token) costs a map lookup instead of an RS256 signature check and the parsing of its
 * claims.
 * <p>
 * A token is only remembered after the wrapped decoder accepted it (signature, issuer,
 * expiry), and only until it expires, and never longer than {@link #MAX_KEPT}: a key
 * withdrawn from the JWKS stops being honoured within that time. Refused tokens are not
 * remembered; the cache key is the whole token, so a token altered in any byte is
 * verified anew. The cache holds at most {@code maximumSize} tokens (a few KB each), the
 * least used ones leaving first.
 */
public final class CachingJwtDecoder implements JwtDecoder {

	/** The longest a verified token is taken without checking it again. */
	public static final Duration MAX_KEPT = Duration.ofMinutes(5);

	private final JwtDecoder verifier;

	private final Clock clock;

	private final Cache<String, Jwt> verified;

	/**
	 * @param verifier checks a token that is not remembered
	 * @param maximumSize how many tokens are remembered at most
	 * @param clock the clock that tokens expire by
	 */
	public CachingJwtDecoder(JwtDecoder verifier, int maximumSize, Clock clock) {
		this.verifier = verifier;
		this.clock = clock;
		this.verified = Caffeine.newBuilder().maximumSize(maximumSize).expireAfter(new Expiry<String, Jwt>() {

			@Override
			public long expireAfterCreate(String token, Jwt jwt, long currentTime) {
				Duration kept = MAX_KEPT;
				if (jwt.getExpiresAt() != null) {
					Duration left = Duration.between(clock.instant(), jwt.getExpiresAt());
					kept = (left.compareTo(kept) < 0) ? left : kept;
				}
				return Math.max(0, kept.toNanos());
			}

			@Override
			public long expireAfterUpdate(String token, Jwt jwt, long currentTime, long currentDuration) {
				return expireAfterCreate(token, jwt, currentTime);
			}

			@Override
			public long expireAfterRead(String token, Jwt jwt, long currentTime, long currentDuration) {
				return currentDuration;
			}

		}).build();
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		Jwt remembered = this.verified.getIfPresent(token);
		Instant now = this.clock.instant();
		if (remembered != null && (remembered.getExpiresAt() == null || now.isBefore(remembered.getExpiresAt()))) {
			return remembered;
		}
		Jwt jwt = this.verifier.decode(token);
		this.verified.put(token, jwt);
		return jwt;
	}

}

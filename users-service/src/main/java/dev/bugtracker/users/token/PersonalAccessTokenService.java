package dev.bugtracker.users.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.bugtracker.users.audit.AuditEventType;
import dev.bugtracker.users.audit.AuditLog;
import dev.bugtracker.users.security.AccessTokens;
import dev.bugtracker.users.user.CredentialsRevoked;
import dev.bugtracker.users.user.User;
import dev.bugtracker.users.user.UserService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Service;
import org.springframework.context.event.EventListener;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, lists, revokes and exchanges personal access tokens.
 * <p>
 * A token is {@value #PREFIX} and 256 random bits (so that it is recognised in a header,
 * a log or a secret scanner). Only its SHA-256 is stored: a slow password hash is not
 * needed for a random value of that size, and the exchange must stay cheap.
 */
@Service
@EnableConfigurationProperties(PersonalAccessTokenProperties.class)
public class PersonalAccessTokenService {

	/** The start of every personal access token. */
	public static final String PREFIX = "btp_";

	private static final Logger log = LoggerFactory.getLogger(PersonalAccessTokenService.class);

	private final SecureRandom random = new SecureRandom();

	private final PersonalAccessTokens tokens;

	private final UserService users;

	private final AccessTokens accessTokens;

	private final PersonalAccessTokenProperties properties;

	private final Clock clock;

	private final AuditLog audit;

	PersonalAccessTokenService(PersonalAccessTokens tokens, UserService users, AccessTokens accessTokens,
			PersonalAccessTokenProperties properties, Clock clock, AuditLog audit) {
		this.audit = audit;
		this.tokens = tokens;
		this.users = users;
		this.accessTokens = accessTokens;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * @return the scopes a token may be given
	 */
	public Set<String> allowedScopes() {
		return this.properties.scopes();
	}

	/**
	 * @return the longest a token may live, in days
	 */
	public int maxDays() {
		return this.properties.maxDays();
	}

	/**
	 * Create a token. Its value is in the answer, and nowhere else, ever.
	 * @param userId the owner
	 * @param name what the owner calls it
	 * @param scopes what it allows (validated by the caller against
	 * {@link #allowedScopes()})
	 * @param days how long it lives
	 * @return the stored token and its value
	 */
	@Transactional
	public Created create(long userId, String name, Set<String> scopes, int days) {
		byte[] secret = new byte[32];
		this.random.nextBytes(secret);
		String value = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		PersonalAccessToken token = this.tokens.save(PersonalAccessToken.create(userId, name.strip(), hash(value),
				scopes, now, now.plus(Duration.ofDays(days))));
		this.audit.record(AuditEventType.TOKEN_CREATED, String.valueOf(userId), "token:" + token.getId(), true,
				"\"" + token.getName() + "\" " + token.getScopes() + ", " + days + " days");
		log.info("User {} created personal access token {} ({})", userId, token.getId(), token.getScopes());
		return new Created(token, value);
	}

	/**
	 * @param userId the owner
	 * @return the owner's tokens, revoked and expired ones included
	 */
	@Transactional(readOnly = true)
	public List<PersonalAccessToken> list(long userId) {
		return this.tokens.findByUserIdOrderById(userId);
	}

	/**
	 * Revoke a token; revoking it again changes nothing.
	 * @param userId the owner
	 * @param id the token
	 * @return the token
	 * @throws PersonalAccessTokenNotFoundException if the owner has no such token
	 */
	@Transactional
	public PersonalAccessToken revoke(long userId, long id) {
		PersonalAccessToken token = this.tokens.findByIdAndUserId(id, userId)
			.orElseThrow(() -> new PersonalAccessTokenNotFoundException(id));
		PersonalAccessToken revoked = this.tokens.save(token.revoked(this.clock.instant()));
		this.audit.record(AuditEventType.TOKEN_REVOKED, String.valueOf(userId), "token:" + id, true, null);
		log.info("User {} revoked personal access token {}", userId, id);
		return revoked;
	}

	/**
	 * Revoke every token of a user whose credentials are revoked (a password reset or
	 * change, signing out everywhere, an account disabled): whoever held one of them may
	 * have made tokens.
	 * @param revoked the account and why
	 */
	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	public void revokeAll(CredentialsRevoked revoked) {
		int count = this.tokens.revokeAll(revoked.userId(), this.clock.instant());
		if (count > 0) {
			this.audit.record(AuditEventType.TOKEN_REVOKED, String.valueOf(revoked.userId()),
					"user:" + revoked.userId(), true, count + " tokens, all of the account's: " + revoked.reason());
		}
		log.info("Revoked {} personal access tokens of user {}: {}", count, revoked.userId(), revoked.reason());
	}

	/**
	 * Exchange a token for a short-lived access token of its owner, with its scopes.
	 * @param value the token
	 * @return the access token
	 * @throws InvalidPersonalAccessTokenException if the token is unknown, revoked or
	 * expired
	 */
	@Transactional
	public Jwt exchange(String value) {
		if (value == null || !value.startsWith(PREFIX)) {
			throw new InvalidPersonalAccessTokenException();
		}
		Instant now = this.clock.instant();
		PersonalAccessToken token = this.tokens.findByTokenHash(hash(value))
			.filter((found) -> found.isActive(now))
			.orElseThrow(InvalidPersonalAccessTokenException::new);
		User user = this.users.get(token.getUserId());
		if (user.isDisabled()) {
			throw new InvalidPersonalAccessTokenException();
		}
		Instant expiresAt = now.plus(this.properties.exchangedLifetime());
		if (token.getExpiresAt().isBefore(expiresAt)) {
			expiresAt = token.getExpiresAt();
		}
		this.tokens.touch(token.getId(), now, now.minus(Duration.ofMinutes(1)));
		return this.accessTokens.mint(user, token.getScopes(), now, expiresAt, Map.of("pat", token.getId()));
	}

	static String hash(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	/**
	 * A token just created.
	 *
	 * @param token the stored token
	 * @param value its value, shown once
	 */
	public record Created(PersonalAccessToken token, String value) {
	}

}

package dev.bugtracker.users.security;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The keys that sign access tokens, kept in the database and rotated on a schedule: the
 * JWKS publishes every key that is not retired (the coming one, the active one, and the
 * one it replaced while tokens it signed may still be alive); the active one signs.
 * <p>
 * Every instance runs {@link #refresh()} at start and then regularly. Whichever instance
 * first sees that the next key is due generates it; the others find it in the database
 * (keys are named after when they take over, so two instances generating at once collide
 * on the primary key and one of them wins).
 */
class SigningKeys implements JWKSource<SecurityContext> {

	private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final SigningKeyProperties properties;

	private final SigningKeyCipher cipher;

	private volatile Snapshot current;

	SigningKeys(JdbcClient jdbc, Clock clock, SigningKeyProperties properties, SigningKeyCipher cipher) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
		this.cipher = cipher;
	}

	@Override
	public List<JWK> get(JWKSelector selector, SecurityContext context) {
		return selector.select(snapshot().published());
	}

	/**
	 * @return the id of the key that signs now
	 */
	String activeKeyId() {
		return snapshot().activeKeyId();
	}

	private Snapshot snapshot() {
		Snapshot snapshot = this.current;
		if (snapshot == null) {
			refresh();
			snapshot = this.current;
		}
		return snapshot;
	}

	/**
	 * Read the keys; generate the first one, or the next one when it is due.
	 */
	synchronized void refresh() {
		Instant now = this.clock.instant();
		List<StoredKey> keys = load(now);
		if (keys.isEmpty()) {
			insert("k" + now.truncatedTo(ChronoUnit.SECONDS).getEpochSecond(), now);
			keys = load(now);
		}
		reseal(keys);
		StoredKey newest = keys.get(keys.size() - 1);
		Instant nextActivation = newest.activatesAt().plus(this.properties.rotateEvery());
		if (!now.isBefore(nextActivation.minus(this.properties.publishAhead()))) {
			// Overdue (every instance was down when it was due, or rotate-every was
			// shortened): the next key is still published ahead, never activated at once,
			// which instances that have not read it yet could not verify. Whole rotation
			// steps, so that instances refreshing at the same time pick the same key id.
			while (nextActivation.isBefore(now.plus(this.properties.publishAhead()))) {
				nextActivation = nextActivation.plus(this.properties.rotateEvery());
			}
			insert("k" + nextActivation.getEpochSecond(), nextActivation);
			keys = load(now);
		}
		StoredKey active = keys.stream()
			.filter((key) -> !key.activatesAt().isAfter(now))
			.max(Comparator.comparing(StoredKey::activatesAt))
			.orElse(keys.get(0));
		List<JWK> published = keys.stream().<JWK>map(StoredKey::jwk).toList();
		Snapshot previous = this.current;
		this.current = new Snapshot(new JWKSet(published), active.kid());
		if (previous == null || !previous.activeKeyId().equals(active.kid())
				|| previous.published().size() != published.size()) {
			log.info("Token signing keys published: {}; {} signs", keys.stream().map(StoredKey::kid).toList(),
					active.kid());
		}
		this.jdbc.sql("delete from signing_key where retires_at < ?")
			.param(Timestamp.from(now.minus(this.properties.retireAfter())))
			.update();
	}

	private List<StoredKey> load(Instant now) {
		List<StoredKey> keys = new ArrayList<>(this.jdbc
			.sql("select kid, private_key, activates_at from signing_key "
					+ "where retires_at is null or retires_at > ? order by activates_at")
			.param(Timestamp.from(now))
			.query((row, number) -> new StoredKey(row.getString("kid"), row.getString("private_key"),
					row.getTimestamp("activates_at").toInstant(), this.cipher))
			.list());
		return keys;
	}

	private void insert(String kid, Instant activatesAt) {
		String privateKey;
		try {
			privateKey = this.cipher.seal(kid, new RSAKeyGenerator(2048).generate().toPrivateKey().getEncoded());
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot generate a token signing key", ex);
		}
		try {
			this.jdbc.sql("insert into signing_key (kid, private_key, activates_at) values (?, ?, ?)")
				.params(kid, privateKey, Timestamp.from(activatesAt))
				.update();
		}
		catch (DuplicateKeyException ex) {
			// Another instance generated it at the same time; theirs is used.
			return;
		}
		// The keys it replaces stay published while tokens they signed may be alive.
		this.jdbc.sql("update signing_key set retires_at = ? where kid <> ? and retires_at is null")
			.params(Timestamp.from(activatesAt.plus(this.properties.retireAfter())), kid)
			.update();
		log.info("Generated token signing key {}, which signs from {}", kid, activatesAt);
	}

	/**
	 * Seal again, under the current secret, the keys stored under a previous one or
	 * before encryption. Only if the row still holds what was read: of instances doing it
	 * at once, one writes.
	 */
	private void reseal(List<StoredKey> keys) {
		for (StoredKey key : keys) {
			if (this.cipher.isCurrent(key.privateKey())) {
				continue;
			}
			int updated = this.jdbc.sql("update signing_key set private_key = ? where kid = ? and private_key = ?")
				.params(this.cipher.seal(key.kid(), this.cipher.open(key.kid(), key.privateKey())), key.kid(),
						key.privateKey())
				.update();
			if (updated == 1) {
				log.info("Token signing key {} encrypted again under the current SIGNING_KEYS_SECRET", key.kid());
			}
		}
	}

	private record Snapshot(JWKSet published, String activeKeyId) {
	}

	private record StoredKey(String kid, String privateKey, Instant activatesAt, SigningKeyCipher cipher) {

		RSAKey jwk() {
			try {
				KeyFactory rsa = KeyFactory.getInstance("RSA");
				RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa
					.generatePrivate(new PKCS8EncodedKeySpec(this.cipher.open(this.kid, this.privateKey)));
				RSAPublicKey publicKey = (RSAPublicKey) rsa
					.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
				return new RSAKey.Builder(publicKey).privateKey(key)
					.keyID(this.kid)
					.keyUse(KeyUse.SIGNATURE)
					.algorithm(JWSAlgorithm.RS256)
					.build();
			}
			catch (GeneralSecurityException | ClassCastException ex) {
				throw new IllegalStateException("Token signing key " + this.kid + " in the database is not an RSA key",
						ex);
			}
		}

	}

}

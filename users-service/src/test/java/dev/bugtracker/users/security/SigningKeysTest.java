package dev.bugtracker.users.security;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import dev.bugtracker.platform.test.EmbeddedPostgresTestConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Signing keys in PostgreSQL, rotated on a clock the test moves: the next key is
 * published before it signs, the replaced one stays published while its tokens live, and
 * instances starting at once agree on one key.
 */
@SpringBootTest(
		properties = { "eureka.client.enabled=false", "spring.grpc.client.channel.notificator.target=127.0.0.1:1",
				// The application's own refresher reads the keys once, at start; the test
				// drives
				// its own instances.
				"bugtracker.security.signing-keys.refresh-interval=30m" })
@Import(EmbeddedPostgresTestConfiguration.class)
class SigningKeysTest {

	private static final Instant T0 = Instant.parse("2027-01-01T00:00:00Z");

	private static final SigningKeyProperties ROTATION = new SigningKeyProperties(Duration.ofMinutes(10),
			Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofSeconds(30));

	private static final SigningKeyCipher CIPHER = SigningKeyCipher.of("the current secret", List.of());

	@Autowired
	private JdbcClient jdbc;

	private final MovableClock clock = new MovableClock(T0);

	@BeforeEach
	void noKeys() {
		this.jdbc.sql("delete from signing_key").update();
	}

	@Test
	void theFirstRefreshGeneratesTheKeyThatSigns() {
		SigningKeys keys = new SigningKeys(this.jdbc, this.clock, ROTATION, CIPHER);

		keys.refresh();

		assertThat(published(keys)).containsExactly(keys.activeKeyId());
	}

	@Test
	void theNextKeyIsPublishedBeforeItSignsAndTheOldOneStaysWhileItsTokensLive() throws Exception {
		SigningKeys keys = new SigningKeys(this.jdbc, this.clock, ROTATION, CIPHER);
		keys.refresh();
		String first = keys.activeKeyId();
		Jwt signedByFirst = sign(keys);

		this.clock.set(T0.plus(Duration.ofMinutes(8)));
		keys.refresh();
		assertThat(published(keys)).hasSize(2).contains(first);
		assertThat(keys.activeKeyId()).isEqualTo(first);
		String second = published(keys).stream().filter((kid) -> !kid.equals(first)).findFirst().orElseThrow();

		this.clock.set(T0.plus(Duration.ofMinutes(10)));
		keys.refresh();
		assertThat(keys.activeKeyId()).isEqualTo(second);
		assertThat(published(keys)).containsExactlyInAnyOrder(first, second);
		assertThat(NimbusJwtDecoder.withJwkSource(keys).build().decode(signedByFirst.getTokenValue()).getSubject())
			.as("a token signed by the replaced key is still valid")
			.isEqualTo("someone");

		this.clock.set(T0.plus(Duration.ofMinutes(13)).plusSeconds(1));
		keys.refresh();
		assertThat(published(keys)).containsExactly(second);
	}

	@Test
	void anOverdueRotationStillPublishesTheNextKeyAheadOfTime() {
		SigningKeys keys = new SigningKeys(this.jdbc, this.clock, ROTATION, CIPHER);
		keys.refresh();
		String first = keys.activeKeyId();

		// Nobody refreshed for 35 minutes (three rotations and a half were due).
		this.clock.set(T0.plus(Duration.ofMinutes(35)));
		keys.refresh();
		assertThat(keys.activeKeyId()).as("the old key signs until the new one has been published for a while")
			.isEqualTo(first);
		assertThat(published(keys)).hasSize(2);

		this.clock.set(T0.plus(Duration.ofMinutes(36)).plusSeconds(59));
		keys.refresh();
		assertThat(keys.activeKeyId()).isEqualTo(first);
		this.clock.set(T0.plus(Duration.ofMinutes(40)));
		keys.refresh();
		assertThat(keys.activeKeyId()).isNotEqualTo(first)
			.isEqualTo("k" + T0.plus(Duration.ofMinutes(40)).getEpochSecond());
	}

	@Test
	void refusesToPublishANewKeyLaterThanEveryInstanceReadsIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SigningKeyProperties(Duration.ofMinutes(10), Duration.ofSeconds(50),
					Duration.ofMinutes(15), Duration.ofSeconds(30)))
			.withMessageContaining("publish-ahead (PT50S) must be at least twice refresh-interval (PT30S)");
	}

	@Test
	void instancesStartingAtOnceAgreeOnOneKey() throws Exception {
		ExecutorService instances = Executors.newFixedThreadPool(8);
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<String>> signing = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				SigningKeys keys = new SigningKeys(this.jdbc, this.clock, ROTATION, CIPHER);
				signing.add(instances.submit((Callable<String>) () -> {
					start.await();
					keys.refresh();
					return keys.activeKeyId();
				}));
			}
			start.countDown();
			Set<String> active = new java.util.HashSet<>();
			for (Future<String> instance : signing) {
				active.add(instance.get());
			}
			assertThat(active).hasSize(1);
			assertThat(this.jdbc.sql("select count(*) from signing_key").query(Long.class).single()).isEqualTo(1L);
		}
		finally {
			instances.shutdownNow();
		}
	}

	@Test
	void privateHalvesAreStoredEncryptedAndBoundToTheirKeyId() throws Exception {
		SigningKeys keys = new SigningKeys(this.jdbc, this.clock, ROTATION, CIPHER);
		keys.refresh();
		String kid = keys.activeKeyId();
		String stored = storedKey(kid);
		byte[] privateHalf = ((com.nimbusds.jose.jwk.RSAKey) keys
			.get(new JWKSelector(new JWKMatcher.Builder().keyID(kid).build()), null)
			.get(0)).toPrivateKey().getEncoded();

		assertThat(stored).startsWith("v1:")
			.doesNotContain(java.util.Base64.getEncoder().encodeToString(privateHalf).substring(0, 40));
		assertThat(CIPHER.open(kid, stored)).isEqualTo(privateHalf);
		assertThatIllegalStateException().as("the same ciphertext under another key id")
			.isThrownBy(() -> CIPHER.open("k1", stored));
		assertThatIllegalStateException().as("without the secret")
			.isThrownBy(() -> SigningKeyCipher.of("another secret", List.of()).open(kid, stored))
			.withMessageContaining("SIGNING_KEYS_PREVIOUS_SECRETS");
	}

	@Test
	void keysStoredInPlainOrUnderThePreviousSecretAreEncryptedAgainAndStillSign() throws Exception {
		byte[] plain = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).generate().toPrivateKey().getEncoded();
		this.jdbc.sql("insert into signing_key (kid, private_key, activates_at) values ('k-plain', ?, ?)")
			.params(java.util.Base64.getEncoder().encodeToString(plain), java.sql.Timestamp.from(T0))
			.update();
		SigningKeys before = new SigningKeys(this.jdbc, this.clock, ROTATION, CIPHER);
		before.refresh();
		assertThat(storedKey("k-plain")).as("a key stored before encryption").startsWith("v1:");
		assertThat(CIPHER.open("k-plain", storedKey("k-plain"))).isEqualTo(plain);
		Jwt signedBefore = sign(before);

		SigningKeyCipher rotated = SigningKeyCipher.of("the next secret", List.of("the current secret"));
		SigningKeys after = new SigningKeys(this.jdbc, this.clock, ROTATION, rotated);
		after.refresh();

		assertThat(rotated.isCurrent(storedKey("k-plain"))).as("sealed again under the new secret").isTrue();
		assertThat(CIPHER.isCurrent(storedKey("k-plain"))).isFalse();
		assertThat(after.activeKeyId()).isEqualTo(before.activeKeyId());
		assertThat(sign(after).getHeaders()).containsEntry("kid", signedBefore.getHeaders().get("kid"));
	}

	private String storedKey(String kid) {
		return this.jdbc.sql("select private_key from signing_key where kid = ?")
			.param(kid)
			.query(String.class)
			.single();
	}

	private Jwt sign(SigningKeys keys) {
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).keyId(keys.activeKeyId()).build();
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.subject("someone")
			.issuedAt(Instant.now())
			.expiresAt(Instant.now().plus(Duration.ofMinutes(10)))
			.build();
		return new NimbusJwtEncoder(keys).encode(JwtEncoderParameters.from(header, claims));
	}

	private static List<String> published(SigningKeys keys) {
		return keys.get(new JWKSelector(new JWKMatcher.Builder().build()), null)
			.stream()
			.map(JWK::getKeyID)
			.collect(Collectors.toList());
	}

}

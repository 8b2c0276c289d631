package dev.bugtracker.platform.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CachingJwtDecoderTest {

	private static final Instant T0 = Instant.parse("2027-01-01T00:00:00Z");

	private Instant now = T0;

	private final Clock clock = new Clock() {

		@Override
		public Instant instant() {
			return CachingJwtDecoderTest.this.now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	};

	/**
	 * Accepts "good-*" tokens expiring 10 minutes after T0, until the clock passes that.
	 */
	private final List<String> verified = java.util.Collections.synchronizedList(new ArrayList<>());

	private final JwtDecoder verifier = (token) -> {
		this.verified.add(token);
		Instant expiresAt = T0.plus(Duration.ofMinutes(10));
		if (!token.startsWith("good-") || !this.now.isBefore(expiresAt)) {
			throw new BadJwtException("refused " + token);
		}
		return Jwt.withTokenValue(token)
			.header("alg", "RS256")
			.subject(token.substring(5))
			.issuedAt(T0)
			.expiresAt(expiresAt)
			.build();
	};

	private final CachingJwtDecoder decoder = new CachingJwtDecoder(this.verifier, 100, this.clock);

	@Test
	void verifiesAnAcceptedTokenOnceAndThenRemembersIt() {
		for (int i = 0; i < 5; i++) {
			assertThat(this.decoder.decode("good-alice").getSubject()).isEqualTo("alice");
		}
		assertThat(this.verified).containsExactly("good-alice");
	}

	@Test
	void neverRemembersARefusedToken() {
		for (int i = 0; i < 3; i++) {
			assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> this.decoder.decode("forged"));
		}
		assertThat(this.verified).hasSize(3);
	}

	@Test
	void checksARememberedTokenAgainOnceItHasExpired() {
		this.decoder.decode("good-alice");
		this.now = T0.plus(Duration.ofMinutes(10));

		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> this.decoder.decode("good-alice"));
		assertThat(this.verified).containsExactly("good-alice", "good-alice");
	}

	@Test
	void concurrentCallersWithManyTokensEachGetTheirOwn() throws Exception {
		AtomicInteger wrong = new AtomicInteger();
		List<Thread> clients = new ArrayList<>();
		for (int c = 0; c < 16; c++) {
			int client = c;
			Thread thread = new Thread(() -> {
				for (int i = 0; i < 2_000; i++) {
					String user = "u" + ((client * 31 + i) % 300);
					if (!this.decoder.decode("good-" + user).getSubject().equals(user)) {
						wrong.incrementAndGet();
					}
				}
			});
			thread.start();
			clients.add(thread);
		}
		for (Thread client : clients) {
			client.join();
		}
		assertThat(wrong).hasValue(0);
	}

}

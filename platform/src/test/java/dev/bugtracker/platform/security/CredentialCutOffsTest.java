package dev.bugtracker.platform.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CredentialCutOffsTest {

	private static final Instant T0 = Instant.parse("2027-01-01T00:00:00Z");

	private final List<Instant> asked = new ArrayList<>();

	private CredentialCutOffs.Feed next = new CredentialCutOffs.Feed(T0, List.of());

	private RuntimeException failure;

	private final CredentialCutOffs cutOffs = new CredentialCutOffs((since) -> {
		this.asked.add(since);
		if (this.failure != null) {
			throw this.failure;
		}
		return this.next;
	}, Duration.ofSeconds(10), Clock.fixed(T0, ZoneOffset.UTC));

	/**
	 * Decodes "user-&lt;id&gt;-v&lt;version&gt;" and "service-&lt;client id&gt;" into
	 * tokens of that kind, each with the token itself as its id ("&lt;...&gt;-2" is
	 * another token of the same kind).
	 */
	private final JwtDecoder decoder = new CutOffCheckingJwtDecoder((token) -> {
		Jwt.Builder jwt = Jwt.withTokenValue(token)
			.header("alg", "RS256")
			.jti(token)
			.issuedAt(T0)
			.expiresAt(T0.plusSeconds(600));
		String[] parts = token.split("-");
		if (parts[0].equals("service")) {
			return jwt.subject(parts[1]).build();
		}
		jwt.subject(parts[1]);
		if (parts.length > 2) {
			jwt.claim(CredentialCutOffs.CLAIM, Long.parseLong(parts[2].substring(1)));
		}
		return jwt.build();
	}, this.cutOffs);

	@Test
	void aUsersTokenOfAnOlderVersionThanTheirLastCutOffIsRefusedAndANewerOneAccepted() {
		assertThat(this.decoder.decode("user-7-v0").getSubject()).isEqualTo("7");
		this.next = new CredentialCutOffs.Feed(T0.plusSeconds(10),
				List.of(new CredentialCutOffs.CutOff(7, 1, T0.plusSeconds(9))));
		this.cutOffs.refresh();

		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> this.decoder.decode("user-7-v0"))
			.withMessageContaining("before its owner's credentials were revoked");
		assertThatExceptionOfType(BadJwtException.class).as("a token without the claim counts as version 0")
			.isThrownBy(() -> this.decoder.decode("user-7"));
		assertThat(this.decoder.decode("user-7-v1").getSubject()).isEqualTo("7");
		assertThat(this.decoder.decode("user-8-v0").getSubject()).as("another user").isEqualTo("8");
		assertThat(this.decoder.decode("service-users.service").getSubject()).as("a service's token")
			.isEqualTo("users.service");
	}

	@Test
	void aRevokedTokenIsRefusedWhoeverItBelongsToUntilItExpires() {
		assertThat(this.decoder.decode("service-bugs.service").getSubject()).isEqualTo("bugs.service");
		this.next = new CredentialCutOffs.Feed(T0.plusSeconds(10), List.of(),
				List.of(new CredentialCutOffs.RevokedToken("service-bugs.service", T0.plusSeconds(600),
						T0.plusSeconds(9)),
						new CredentialCutOffs.RevokedToken("user-7-v0", T0.plusSeconds(600), T0.plusSeconds(9))));
		this.cutOffs.refresh();

		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> this.decoder.decode("service-bugs.service"))
			.withMessageContaining("revoked");
		assertThatExceptionOfType(BadJwtException.class).as("a user's token, by its id")
			.isThrownBy(() -> this.decoder.decode("user-7-v0"));
		assertThat(this.decoder.decode("service-bugs.service-2").getSubject()).as("another token of the client")
			.isEqualTo("bugs.service");
		assertThat(this.decoder.decode("user-7-v0-2").getSubject()).as("another token of the user").isEqualTo("7");

		// Once it has expired, nobody can use it anyway: it is forgotten.
		this.next = new CredentialCutOffs.Feed(T0.plusSeconds(601), List.of());
		this.cutOffs.refresh();
		assertThat(this.cutOffs.isRevoked("service-bugs.service")).isFalse();
	}

	@Test
	void eachFetchAsksSinceThePreviousAnswerLessTheOverlapAndKeepsTheHighestVersion() {
		this.cutOffs.refresh();
		this.next = new CredentialCutOffs.Feed(T0.plusSeconds(10),
				List.of(new CredentialCutOffs.CutOff(7, 3, T0.plusSeconds(8))));
		this.cutOffs.refresh();
		// An answer that overlaps the previous one, with an older version of user 7.
		this.next = new CredentialCutOffs.Feed(T0.plusSeconds(20),
				List.of(new CredentialCutOffs.CutOff(7, 2, T0.plusSeconds(6))));
		this.cutOffs.refresh();

		assertThat(this.asked).containsExactly(null, T0.minus(CredentialCutOffs.OVERLAP),
				T0.plusSeconds(10).minus(CredentialCutOffs.OVERLAP));
		assertThat(this.cutOffs.minimumVersion(7)).isEqualTo(3);
	}

	@Test
	void aFailedFetchKeepsWhatIsKnownAndTheNextOneCatchesUp() {
		this.next = new CredentialCutOffs.Feed(T0.plusSeconds(10),
				List.of(new CredentialCutOffs.CutOff(7, 1, T0.plusSeconds(9))));
		this.cutOffs.refresh();
		this.failure = new IllegalStateException("users-service is down");
		this.cutOffs.refresh();
		assertThat(this.cutOffs.minimumVersion(7)).isEqualTo(1);

		this.failure = null;
		this.next = new CredentialCutOffs.Feed(T0.plusSeconds(30),
				List.of(new CredentialCutOffs.CutOff(8, 1, T0.plusSeconds(25))));
		this.cutOffs.refresh();
		assertThat(this.asked.get(2)).as("the failed fetch did not move the time asked from")
			.isEqualTo(T0.plusSeconds(10).minus(CredentialCutOffs.OVERLAP));
		assertThat(Map.of(7L, this.cutOffs.minimumVersion(7), 8L, this.cutOffs.minimumVersion(8))).containsEntry(7L, 1L)
			.containsEntry(8L, 1L);
	}

	@Test
	void aCutOffIsForgottenOnceEveryTokenIssuedBeforeItHasExpired() {
		this.next = new CredentialCutOffs.Feed(T0.plusSeconds(10),
				List.of(new CredentialCutOffs.CutOff(7, 1, T0.plusSeconds(9))));
		this.cutOffs.refresh();
		this.next = new CredentialCutOffs.Feed(T0.plusSeconds(9).plus(CredentialCutOffs.REMEMBERED).plusSeconds(1),
				List.of());
		this.cutOffs.refresh();
		assertThat(this.cutOffs.minimumVersion(7)).isZero();
	}

}

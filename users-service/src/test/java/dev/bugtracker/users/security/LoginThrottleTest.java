package dev.bugtracker.users.security;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The waits of the login throttle, on a clock the test moves.
 */
class LoginThrottleTest {

	private final MovableClock clock = new MovableClock(Instant.parse("2026-11-22T10:00:00Z"));

	private final LoginThrottle throttle = new LoginThrottle(
			new LoginThrottleProperties(true, null, null, null, null, Duration.ofMinutes(15)), this.clock);

	@Test
	void aGuesserWaitsTwiceAsLongAfterEachFailureBeyondTheFreeOnesUpToTheMaximum() {
		for (int i = 0; i < 5; i++) {
			this.throttle.failed("ann@example.com", "203.0.113.7");
		}
		assertThat(this.throttle.waitBeforeTrying("ann@example.com", "203.0.113.7")).isZero();

		this.throttle.failed("ann@example.com", "203.0.113.7");
		assertThat(this.throttle.waitBeforeTrying("ANN@example.com", "203.0.113.7")).isEqualTo(Duration.ofSeconds(1));
		this.clock.advance(Duration.ofSeconds(1));
		this.throttle.failed("ann@example.com", "203.0.113.7");
		assertThat(this.throttle.waitBeforeTrying("ann@example.com", "203.0.113.7")).isEqualTo(Duration.ofSeconds(2));
		for (int i = 0; i < 20; i++) {
			this.throttle.failed("ann@example.com", "203.0.113.7");
		}
		assertThat(this.throttle.waitBeforeTrying("ann@example.com", "203.0.113.7")).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void theOwnerFromElsewhereIsOnlyEverSlowedDownBriefly() {
		for (int i = 0; i < 1000; i++) {
			this.throttle.failed("bob@example.com", "203.0.113." + (i % 250));
		}

		assertThat(this.throttle.waitBeforeTrying("bob@example.com", "198.51.100.2"))
			.isLessThanOrEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void aSuccessForgetsTheAccountsFailuresButNotTheAddresses() {
		for (int i = 0; i < 30; i++) {
			this.throttle.failed("cat" + i + "@example.com", "203.0.113.9");
		}
		for (int i = 0; i < 6; i++) {
			this.throttle.failed("dan@example.com", "198.51.100.3");
		}
		this.clock.advance(Duration.ofSeconds(2));

		this.throttle.succeeded("dan@example.com", "198.51.100.3");

		this.throttle.failed("dan@example.com", "198.51.100.3");
		assertThat(this.throttle.waitBeforeTrying("dan@example.com", "198.51.100.3")).isZero();
		assertThat(this.throttle.waitBeforeTrying("eve@example.com", "203.0.113.9")).isPositive();
		assertThat(this.throttle.waitBeforeTrying(null, "203.0.113.9")).isPositive();
	}

	@Test
	void signUpsOfRegisteredAddressesCountPerClientAddressAndOnlyAgainstSignUps() {
		for (int i = 0; i < 20; i++) {
			this.throttle.signUpRefused("203.0.113.20");
		}
		assertThat(this.throttle.waitBeforeSigningUp("203.0.113.20")).isZero();

		this.throttle.signUpRefused("203.0.113.20");
		assertThat(this.throttle.waitBeforeSigningUp("203.0.113.20")).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.throttle.waitBeforeSigningUp("203.0.113.21")).isZero();
		assertThat(this.throttle.waitBeforeTrying("gus@example.com", "203.0.113.20")).as("logins").isZero();
		for (int i = 0; i < 20; i++) {
			this.throttle.signUpRefused("203.0.113.20");
		}
		assertThat(this.throttle.waitBeforeSigningUp("203.0.113.20")).isEqualTo(Duration.ofMinutes(15));
	}

	@Test
	void aLimitConfiguredInPartKeepsTheDefaultsOfTheRest() {
		LoginThrottle lenient = new LoginThrottle(new LoginThrottleProperties(true, null, null, null,
				new LoginThrottleProperties.Limit(3, null, null), Duration.ofMinutes(15)), this.clock);
		for (int i = 0; i < 4; i++) {
			lenient.signUpRefused("203.0.113.30");
		}
		assertThat(lenient.waitBeforeSigningUp("203.0.113.30")).isEqualTo(Duration.ofSeconds(1));
		for (int i = 0; i < 30; i++) {
			lenient.signUpRefused("203.0.113.30");
		}
		assertThat(lenient.waitBeforeSigningUp("203.0.113.30")).isEqualTo(Duration.ofMinutes(15));
	}

	@Test
	void waitsEndWithTime() {
		for (int i = 0; i < 8; i++) {
			this.throttle.failed("fay@example.com", "203.0.113.1");
		}
		Duration wait = this.throttle.waitBeforeTrying("fay@example.com", "203.0.113.1");

		this.clock.advance(wait);

		assertThat(this.throttle.waitBeforeTrying("fay@example.com", "203.0.113.1")).isZero();
	}

}

package dev.bugtracker.platform.security;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A secret comes from the environment, never from a default or from the placeholders of
 * {@code .env.example}, and the refusal names the variable.
 */
class SecretsTest {

	@Test
	void aSetSecretIsReturned() {
		MockEnvironment environment = new MockEnvironment().withProperty("x.secret", "s3cr3t-of-our-own");

		assertThat(Secrets.require(environment, "x.secret", "X_SECRET", "the test's secret"))
			.isEqualTo("s3cr3t-of-our-own");
	}

	@Test
	void aMissingOrBlankSecretIsRefusedNamingTheVariable() {
		assertThatIllegalStateException()
			.isThrownBy(() -> Secrets.require(new MockEnvironment(), "x.secret", "X_SECRET", "the test's secret"))
			.withMessageStartingWith("X_SECRET is not set");
		assertThatIllegalStateException()
			.isThrownBy(() -> Secrets.require(new MockEnvironment().withProperty("x.secret", " "), "x.secret",
					"X_SECRET", "the test's secret"))
			.withMessageStartingWith("X_SECRET is not set");
	}

	@Test
	void thePlaceholdersOfTheExampleEnvFileAreRefusedNamingTheVariable() {
		for (String placeholder : new String[] { "change-me-bugs-client", "CHANGE-ME", " change-me" }) {
			MockEnvironment environment = new MockEnvironment().withProperty("x.secret", placeholder);
			assertThatIllegalStateException()
				.isThrownBy(() -> Secrets.require(environment, "x.secret", "X_SECRET", "the test's secret"))
				.as(placeholder)
				.withMessageStartingWith("X_SECRET is still the placeholder of .env.example");
		}
	}

}

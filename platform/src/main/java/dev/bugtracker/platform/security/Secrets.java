package dev.bugtracker.platform.security;

import org.springframework.core.env.Environment;

/**
 * Secrets come from the environment only (or from files mounted into it), never from a
 * default: a service that needs one and does not have it refuses to start, saying which
 * one and where it comes from. The placeholders of {@code .env.example}
 * ({@code change-me...}) count as not set: a copy of the example file is not a
 * deployment's secrets.
 */
public final class Secrets {

	private Secrets() {
	}

	/**
	 * @param environment the service's environment
	 * @param property the property that carries the secret
	 * @param variable the environment variable that sets it
	 * @param purpose what the secret is for
	 * @return the secret
	 * @throws IllegalStateException if it is not set
	 */
	public static String require(Environment environment, String property, String variable, String purpose) {
		String value = environment.getProperty(property);
		if (isPlaceholder(value)) {
			throw new IllegalStateException(variable + " is still the placeholder of .env.example: it is " + purpose
					+ ". Set a secret of your own (scripts/compose.sh writes random ones into a new .env); see "
					+ "docs/operations.md, \"Secrets\".");
		}
		if (value == null || value.isBlank()) {
			throw new IllegalStateException(variable + " is not set: it is " + purpose
					+ ". Secrets come only from the environment; see docs/operations.md, \"Secrets\" "
					+ "(scripts/local.sh and scripts/compose.sh generate them, Kubernetes reads them from the "
					+ "Secret bugtracker-service-credentials).");
		}
		return value;
	}

	/**
	 * @param value a secret's value
	 * @return whether it is one of the placeholders that {@code .env.example} ships
	 * ({@code change-me...})
	 */
	public static boolean isPlaceholder(String value) {
		return value != null && value.strip().toLowerCase(java.util.Locale.ROOT).startsWith("change-me");
	}

}

package dev.bugtracker.platform.security;

import org.springframework.core.env.Environment;

/**
 * Secrets come from the environment only (or from files mounted into it), never from a
 * default: a service that needs one and does not have it refuses to start, saying which
 * one and where it comes from.
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
		if (value == null || value.isBlank()) {
			throw new IllegalStateException(variable + " is not set: it is " + purpose
					+ ". Secrets come only from the environment; see docs/operations.md, \"Secrets\" "
					+ "(scripts/local.sh and scripts/compose.sh generate them, Kubernetes reads them from the "
					+ "Secret bugtracker-service-credentials).");
		}
		return value;
	}

}

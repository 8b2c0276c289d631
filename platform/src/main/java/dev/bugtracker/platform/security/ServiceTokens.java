package dev.bugtracker.platform.security;

/**
 * Access tokens that a service sends on its own calls to other services (the users
 * lookups of bugs-service, the gRPC calls to notificator): tokens of the service itself,
 * not of a user, from the authorization server's {@code client_credentials} grant. An
 * implementation caches a token until shortly before it expires.
 */
@FunctionalInterface
public interface ServiceTokens {

	/**
	 * @return a valid access token of this service
	 * @throws RuntimeException if none can be had now (the authorization server is
	 * unreachable); the call it was for fails as if its target were
	 */
	String accessToken();

}

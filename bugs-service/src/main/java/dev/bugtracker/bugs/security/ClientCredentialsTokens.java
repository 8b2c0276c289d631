package dev.bugtracker.bugs.security;

import dev.bugtracker.loadbalancing.ConnectionFailures;
import dev.bugtracker.platform.security.ServiceTokens;

import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;

/**
 * bugs-service's own access tokens, from users-service's authorization server with the
 * {@code client_credentials} grant; Spring Security's client manager keeps a token until
 * a minute before it expires, then fetches the next. A fetch that meets a dying
 * users-service instance (its connection refused or reset: the request never reached it)
 * is tried again on another.
 */
class ClientCredentialsTokens implements ServiceTokens {

	static final String REGISTRATION = "users-service";

	private static final int ATTEMPTS = 3;

	private final OAuth2AuthorizedClientManager clients;

	private final OAuth2AuthorizeRequest request = OAuth2AuthorizeRequest.withClientRegistrationId(REGISTRATION)
		.principal("bugs-service")
		.build();

	ClientCredentialsTokens(OAuth2AuthorizedClientManager clients) {
		this.clients = clients;
	}

	@Override
	public String accessToken() {
		for (int attempt = 1;; attempt++) {
			try {
				OAuth2AuthorizedClient client = this.clients.authorize(this.request);
				if (client == null) {
					throw new IllegalStateException("The authorization server gave bugs-service no token");
				}
				return client.getAccessToken().getTokenValue();
			}
			catch (RuntimeException ex) {
				if (attempt == ATTEMPTS || !ConnectionFailures.isConnectionFailure(ex)) {
					throw ex;
				}
			}
		}
	}

}

package dev.bugtracker.users.token.web;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.bugtracker.users.token.PersonalAccessTokenService;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where the gateway exchanges a personal access token (sent by a client as
 * {@code Authorization: Bearer btp_...}) for a short-lived access token of its owner,
 * which the services check like any other. Not routed by the gateway: the personal access
 * token is the credential, so nothing is gained by calling it directly, but it is not
 * part of the public API.
 */
@RestController
class TokenExchangeController {

	private final PersonalAccessTokenService tokens;

	TokenExchangeController(PersonalAccessTokenService tokens) {
		this.tokens = tokens;
	}

	/**
	 * @param authorization {@code Bearer <personal access token>}
	 * @return the access token, its type and its lifetime in seconds, as OAuth2's token
	 * endpoint answers
	 */
	@PostMapping(path = "/internal/tokens/exchange", produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> exchange(
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
		boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
		// Anything else is refused by the exchange like an unknown token.
		Jwt jwt = this.tokens.exchange(bearer ? authorization.substring(7).strip() : null);
		return Map.of("access_token", jwt.getTokenValue(), "token_type", "Bearer", "expires_in",
				Duration.between(Instant.now(), jwt.getExpiresAt()).toSeconds());
	}

}

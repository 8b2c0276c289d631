package dev.bugtracker.users.security;

import java.time.Instant;

import dev.bugtracker.users.user.RevokedAccessTokens;

import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * The authorization server's store of authorizations, which also tells the services when
 * an access token is invalidated before it expires: Spring Authorization Server marks it
 * so in the authorization it saves when its client revokes it ({@code /oauth2/revoke},
 * RFC 7009), when a refresh token of the same authorization is revoked, and when an
 * authorization code is used a second time. Its id ({@code jti}) is then recorded
 * ({@link RevokedAccessTokens}), before the authorization is saved, and every service
 * refuses it once it has fetched the cut-offs: the services check access tokens
 * themselves and never ask the introspection endpoint.
 */
final class RevocationPublishingAuthorizationService implements OAuth2AuthorizationService {

	private final OAuth2AuthorizationService authorizations;

	private final RevokedAccessTokens revoked;

	RevocationPublishingAuthorizationService(OAuth2AuthorizationService authorizations, RevokedAccessTokens revoked) {
		this.authorizations = authorizations;
		this.revoked = revoked;
	}

	@Override
	public void save(OAuth2Authorization authorization) {
		OAuth2Authorization.Token<OAuth2AccessToken> accessToken = authorization.getAccessToken();
		if (accessToken != null && accessToken.isInvalidated()) {
			Object id = (accessToken.getClaims() != null) ? accessToken.getClaims().get("jti") : null;
			Instant expiresAt = accessToken.getToken().getExpiresAt();
			if (id != null && expiresAt != null) {
				this.revoked.revoke(id.toString(), expiresAt);
			}
		}
		this.authorizations.save(authorization);
	}

	@Override
	public void remove(OAuth2Authorization authorization) {
		this.authorizations.remove(authorization);
	}

	@Override
	public OAuth2Authorization findById(String id) {
		return this.authorizations.findById(id);
	}

	@Override
	public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
		return this.authorizations.findByToken(token, tokenType);
	}

}

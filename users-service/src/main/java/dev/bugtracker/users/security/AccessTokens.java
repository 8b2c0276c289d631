package dev.bugtracker.users.security;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.bugtracker.platform.security.Audiences;
import dev.bugtracker.platform.security.CredentialCutOffs;
import dev.bugtracker.platform.security.TokenAuthorities;
import dev.bugtracker.users.user.CredentialVersions;
import dev.bugtracker.users.user.User;
import dev.bugtracker.users.user.UserService;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

/**
 * Access tokens for users, as the authorization server issues them: signed by the active
 * {@link SigningKeys key}, with the public URL as issuer, the user's id as subject, their
 * email, roles and credentials version, and the services they are for as audience
 * ({@link Audiences}). The authorization server's own tokens get the user's claims from
 * {@link #claimsOf(User)}; {@link #mint} makes the ones it does not issue through its
 * endpoints (personal access tokens exchanged at the gateway).
 */
public class AccessTokens {

	private final JwtEncoder encoder;

	private final SigningKeys keys;

	private final UserService users;

	private final CredentialVersions versions;

	private final String issuer;

	AccessTokens(JwtEncoder encoder, SigningKeys keys, UserService users, CredentialVersions versions, String issuer) {
		this.encoder = encoder;
		this.keys = keys;
		this.users = users;
		this.versions = versions;
		this.issuer = issuer;
	}

	/**
	 * An access token for a user.
	 * @param user the user
	 * @param scopes what the token allows
	 * @param issuedAt now
	 * @param expiresAt when it expires
	 * @param extra more claims
	 * @return the signed token
	 */
	public Jwt mint(User user, Collection<String> scopes, Instant issuedAt, Instant expiresAt,
			Map<String, Object> extra) {
		JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
			.issuer(this.issuer)
			.subject(String.valueOf(user.getId()))
			.issuedAt(issuedAt)
			.notBefore(issuedAt)
			.expiresAt(expiresAt)
			.id(UUID.randomUUID().toString())
			.audience(Audiences.ofPeople())
			.claim("scope", new ArrayList<>(scopes));
		claimsOf(user).forEach(claims::claim);
		extra.forEach(claims::claim);
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).keyId(this.keys.activeKeyId()).build();
		return this.encoder.encode(JwtEncoderParameters.from(header, claims.build()));
	}

	/**
	 * An access token of a service itself (users-service, for its own calls to
	 * notificator): what the {@code client_credentials} grant gives other services, made
	 * here without a round trip to this very server.
	 * @param service the service's client id, the token's subject
	 * @param scopes what the token allows
	 * @param issuedAt now
	 * @param expiresAt when it expires
	 * @return the signed token
	 */
	public Jwt mintForService(String service, Collection<String> scopes, Instant issuedAt, Instant expiresAt) {
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer(this.issuer)
			.subject(service)
			.issuedAt(issuedAt)
			.notBefore(issuedAt)
			.expiresAt(expiresAt)
			.id(UUID.randomUUID().toString())
			.audience(Audiences.ofScopes(scopes))
			.claim("scope", new ArrayList<>(scopes))
			.build();
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).keyId(this.keys.activeKeyId()).build();
		return this.encoder.encode(JwtEncoderParameters.from(header, claims));
	}

	/**
	 * @param user a user
	 * @return the claims that describe them: email, roles and the version of their
	 * credentials (a token of an older one is refused once they are cut off:
	 * {@link CredentialCutOffs}). Plain JDK types (an ArrayList), because the
	 * authorization server stores the claims with the authorization and reads them back
	 * with a JSON mapper that allows only well-known types
	 */
	Map<String, Object> claimsOf(User user) {
		return Map.of("email", user.getEmail(), TokenAuthorities.ROLES_CLAIM,
				this.users.rolesOf(user).stream().map(Enum::name).collect(Collectors.toCollection(ArrayList::new)),
				// An int: the authorization server's mapper reads a Long back only as an
				// Integer (a natural JSON type), it refuses the type id of a Long.
				CredentialCutOffs.CLAIM, Math.toIntExact(this.versions.versionOf(user.getId())));
	}

}

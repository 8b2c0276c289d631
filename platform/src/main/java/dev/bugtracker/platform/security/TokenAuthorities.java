package dev.bugtracker.platform.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

/**
 * What an access token of users-service's authorization server allows, as Spring Security
 * authorities: {@code ROLE_} from its {@value #ROLES_CLAIM} claim (the user's roles) and
 * {@code SCOPE_} from its {@code scope} claim.
 */
public final class TokenAuthorities {

	/** The claim with the user's roles. */
	public static final String ROLES_CLAIM = "roles";

	private TokenAuthorities() {
	}

	/**
	 * @return a converter from access tokens to authentications with these authorities
	 */
	public static Converter<Jwt, AbstractAuthenticationToken> converter() {
		JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
		converter.setJwtGrantedAuthoritiesConverter(TokenAuthorities::of);
		return converter;
	}

	/**
	 * @param jwt an access token
	 * @return its authorities
	 */
	public static Collection<GrantedAuthority> of(Jwt jwt) {
		List<GrantedAuthority> authorities = new ArrayList<>();
		List<String> roles = jwt.getClaimAsStringList(ROLES_CLAIM);
		if (roles != null) {
			roles.forEach((role) -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
		}
		List<String> scopes = jwt.getClaimAsStringList("scope");
		if (scopes != null) {
			scopes.forEach((scope) -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope)));
		}
		return authorities;
	}

}

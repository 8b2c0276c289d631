package dev.bugtracker.bugs.security;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may use the bugs API without an account, and where access tokens come from.
 *
 * @param publicRead whether anyone may read bugs, comments and history without a token
 * @param anonymousReports whether the tutorial's {@code POST /bugs/create} takes reports
 * without a token
 * @param publicUrl the issuer every access token must name: where people reach the system
 * @param jwkSetUri the keys that sign access tokens; a {@code http://<service-id>/...}
 * URL is resolved through the registry
 */
@ConfigurationProperties("bugtracker.security")
public record SecurityProperties(boolean publicRead, boolean anonymousReports, URI publicUrl,
		@DefaultValue("http://users-service/oauth2/jwks") URI jwkSetUri) {

	public SecurityProperties {
		if (publicUrl == null) {
			throw new IllegalArgumentException(
					"bugtracker.security.public-url is not set: it must be the issuer of the access tokens, "
							+ "the URL people reach the system at (PUBLIC_URL)");
		}
	}

}

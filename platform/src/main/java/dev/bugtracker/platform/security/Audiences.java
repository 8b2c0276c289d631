package dev.bugtracker.platform.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Which services an access token is for (its {@code aud} claim), which each service
 * checks names itself ({@link AccessTokenDecoders#validator}): a token issued for one
 * service is refused by the others even where its scopes would do.
 * <ul>
 * <li>A person's token is for the API behind the gateway: users-service and bugs-service,
 * never notificator.</li>
 * <li>A service's token is for the services its scopes reach: {@code users:*} for
 * users-service, {@code bugs:*} for bugs-service, {@code notifications:*} for
 * notificator-service.</li>
 * </ul>
 */
public final class Audiences {

	/** The audience of every token a person gets. */
	public static final List<String> PEOPLE = List.of("users-service", "bugs-service");

	private static final Map<String, String> BY_SCOPE_PREFIX = Map.of("users:", "users-service", "bugs:",
			"bugs-service", "notifications:", "notificator-service");

	private Audiences() {
	}

	/**
	 * @param scopes a service token's scopes
	 * @return the services they reach, in a plain {@link ArrayList} (the authorization
	 * server stores claims with a JSON mapper that allows only well-known types)
	 */
	public static List<String> ofScopes(Collection<String> scopes) {
		List<String> audience = new ArrayList<>();
		for (String scope : scopes) {
			BY_SCOPE_PREFIX.forEach((prefix, service) -> {
				if (scope.startsWith(prefix) && !audience.contains(service)) {
					audience.add(service);
				}
			});
		}
		return audience;
	}

	/**
	 * @return the audience of a person's token, in a plain {@link ArrayList}
	 */
	public static List<String> ofPeople() {
		return new ArrayList<>(PEOPLE);
	}

}

package dev.bugtracker.bugs.users;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import org.springframework.cloud.openfeign.FeignClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * users-service's internal lookups, load-balanced through Eureka
 * ({@code lb://users-service}), with bugs-service's own access token (scope
 * {@code users:lookup}; {@link UsersClientConfiguration}).
 */
@FeignClient(name = "users-service", path = "/internal/users")
interface UsersClient {

	@GetMapping("/{id}")
	UserView get(@PathVariable("id") long id);

	/**
	 * A user as users-service shows it; fields added later are ignored (tolerant reader).
	 *
	 * @param id the id
	 * @param email the email
	 * @param displayName the display name, or null
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record UserView(long id, String email, String displayName) {
	}

}

package dev.bugtracker.users.user.web;

import dev.bugtracker.users.user.UserService;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Lookups by the other services (bugs-service, for the email addresses its notifications
 * go to): only with a service's access token with the scope {@code users:lookup}
 * ({@code SecurityConfiguration}). The gateway does not route {@code /internal}, and it
 * is not in the public OpenAPI description.
 */
@RestController
@RequestMapping(path = "/internal/users", produces = MediaType.APPLICATION_JSON_VALUE)
class InternalUserController {

	private final UserService users;

	InternalUserController(UserService users) {
		this.users = users;
	}

	@GetMapping("/{id}")
	UserResponse get(@PathVariable long id) {
		return UserResponse.of(this.users.get(id));
	}

}

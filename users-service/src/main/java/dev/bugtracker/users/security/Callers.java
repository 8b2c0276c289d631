package dev.bugtracker.users.security;

import java.security.Principal;

import dev.bugtracker.users.user.UserService;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * Who is calling, whichever way they authenticated: by email and password (the principal
 * is the email) or with an access token (the subject is the user's id).
 */
@Component
public class Callers {

	private final UserService users;

	Callers(UserService users) {
		this.users = users;
	}

	/**
	 * @param caller the authenticated caller
	 * @return their user id
	 * @throws IllegalStateException if the caller is not a user
	 */
	public long idOf(Principal caller) {
		if (caller instanceof JwtAuthenticationToken token) {
			try {
				return Long.parseLong(token.getToken().getSubject());
			}
			catch (NumberFormatException ex) {
				throw new IllegalStateException("The access token is not a user's: " + token.getName(), ex);
			}
		}
		return this.users.findByEmail(caller.getName())
			.orElseThrow(() -> new IllegalStateException("Authenticated as an unknown user"))
			.getId();
	}

	/**
	 * @param caller the caller, or null when anonymous
	 * @param userId a user
	 * @return whether the caller is that user or an admin
	 */
	public boolean mayManage(Principal caller, long userId) {
		if (!(caller instanceof Authentication authentication)) {
			return false;
		}
		if (authentication.getAuthorities()
			.stream()
			.anyMatch((granted) -> "ROLE_ADMIN".equals(granted.getAuthority()))) {
			return true;
		}
		if (caller instanceof JwtAuthenticationToken token) {
			return String.valueOf(userId).equals(token.getToken().getSubject());
		}
		return this.users.findByEmail(caller.getName()).map((user) -> user.getId() == userId).orElse(false);
	}

	/**
	 * @param caller the authenticated caller
	 * @return whether they authenticated with an access token exchanged for a personal
	 * access token
	 */
	public boolean usesPersonalAccessToken(Principal caller) {
		return caller instanceof JwtAuthenticationToken token && token.getToken().hasClaim("pat");
	}

}

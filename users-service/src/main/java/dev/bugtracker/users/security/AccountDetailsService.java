package dev.bugtracker.users.security;

import dev.bugtracker.users.user.User;
import dev.bugtracker.users.user.UserService;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * Accounts as Spring Security sees them: the email is the username, and an account
 * without a password cannot log in with one.
 */
class AccountDetailsService implements UserDetailsService {

	private final UserService users;

	AccountDetailsService(UserService users) {
		this.users = users;
	}

	@Override
	public UserDetails loadUserByUsername(String email) {
		User user = this.users.findByEmail(email)
			.filter(User::hasPassword)
			.orElseThrow(() -> new UsernameNotFoundException("No account with a password for that email"));
		return org.springframework.security.core.userdetails.User.withUsername(user.getEmail())
			.password(user.getPasswordHash())
			// Spring Security refuses a disabled account after checking the password.
			.disabled(user.isDisabled())
			.authorities(this.users.rolesOf(user)
				.stream()
				.map((role) -> new SimpleGrantedAuthority("ROLE_" + role.name()))
				.toList())
			.build();
	}

}

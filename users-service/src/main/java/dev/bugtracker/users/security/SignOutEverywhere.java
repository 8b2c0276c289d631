package dev.bugtracker.users.security;

import dev.bugtracker.users.user.CredentialsRevoked;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Ends every login session and OAuth2 authorization (its refresh token with it) of an
 * account whose credentials are revoked (a password reset or change, signing out
 * everywhere, an account disabled), in the transaction of the change. Both are stored by
 * principal name, the account's email.
 */
@Component
class SignOutEverywhere {

	private static final Logger log = LoggerFactory.getLogger(SignOutEverywhere.class);

	private final JdbcClient jdbc;

	SignOutEverywhere(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	public void signOut(CredentialsRevoked revoked) {
		int authorizations = this.jdbc.sql("delete from oauth2_authorization where principal_name = ?")
			.param(revoked.email())
			.update();
		int sessions = this.jdbc.sql("delete from spring_session where principal_name = ?")
			.param(revoked.email())
			.update();
		log.info("Ended {} OAuth2 authorizations and {} login sessions of user {}: {}", authorizations, sessions,
				revoked.userId(), revoked.reason());
	}

}

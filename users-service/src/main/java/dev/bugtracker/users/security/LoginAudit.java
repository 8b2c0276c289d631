package dev.bugtracker.users.security;

import dev.bugtracker.users.audit.AuditEventType;
import dev.bugtracker.users.audit.AuditLog;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.stereotype.Component;

/**
 * Puts logins in the audit log, from Spring Security's authentication events: a login on
 * the login page, and every failed password check (login page or HTTP Basic). A
 * successful HTTP Basic request is a use of the account, not a login, and is not
 * recorded; attempts refused before the password is checked (429, {@link LoginThrottle})
 * are counted in the metrics instead, so that a flood cannot fill the log.
 */
@Component
class LoginAudit {

	private final AuditLog audit;

	LoginAudit(AuditLog audit) {
		this.audit = audit;
	}

	@EventListener
	void onLogin(InteractiveAuthenticationSuccessEvent event) {
		this.audit.record(AuditEventType.LOGIN, event.getAuthentication().getName(), null, true, "login page");
	}

	@EventListener
	void onFailure(AuthenticationFailureBadCredentialsEvent event) {
		if (event.getAuthentication() instanceof UsernamePasswordAuthenticationToken attempt) {
			this.audit.record(AuditEventType.LOGIN_FAILED, String.valueOf(attempt.getName()), null, false,
					"wrong email or password");
		}
	}

}

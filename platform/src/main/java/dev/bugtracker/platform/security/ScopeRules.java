package dev.bugtracker.platform.security;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Request rules about scopes, shared by the services' security configurations. A scope
 * limits what an access token may do for its user; it says nothing about a caller who
 * signed in with their password.
 */
public final class ScopeRules {

	private ScopeRules() {
	}

	/**
	 * @param scopes scopes, without the {@code SCOPE_} prefix
	 * @return a rule that an access token passes only with one of the scopes, and any
	 * other caller (a password, or no credential) passes
	 */
	public static AuthorizationManager<RequestAuthorizationContext> tokenNeedsOneOf(String... scopes) {
		AuthorizationManager<RequestAuthorizationContext> scoped = AuthorityAuthorizationManager
			.hasAnyAuthority(Arrays.stream(scopes).map((scope) -> "SCOPE_" + scope).toArray(String[]::new));
		return new AuthorizationManager<>() {
			@Override
			public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
					RequestAuthorizationContext context) {
				return (authentication.get() instanceof JwtAuthenticationToken)
						? scoped.authorize(authentication, context) : new AuthorizationDecision(true);
			}
		};
	}

	/**
	 * Anonymous callers pass; a caller with a token still needs what the token must allow
	 * (a token is never worth less than none, but a token without the scope does not act
	 * for its user).
	 * @param authenticated the rule for callers who are someone
	 * @return the rule
	 */
	public static AuthorizationManager<RequestAuthorizationContext> anonymousOr(
			AuthorizationManager<RequestAuthorizationContext> authenticated) {
		return new AuthorizationManager<>() {
			@Override
			public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
					RequestAuthorizationContext context) {
				Authentication caller = authentication.get();
				if (caller == null || caller instanceof AnonymousAuthenticationToken) {
					return new AuthorizationDecision(true);
				}
				return authenticated.authorize(authentication, context);
			}
		};
	}

	/**
	 * @param rules rules that must all pass
	 * @return a rule that passes when all do, and otherwise answers with the first that
	 * does not (so that a 403 can name the role or scope that was missing)
	 */
	@SafeVarargs
	public static AuthorizationManager<RequestAuthorizationContext> allOf(
			AuthorizationManager<RequestAuthorizationContext>... rules) {
		List<AuthorizationManager<RequestAuthorizationContext>> all = List.of(rules);
		return new AuthorizationManager<>() {
			@Override
			public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
					RequestAuthorizationContext context) {
				for (AuthorizationManager<RequestAuthorizationContext> rule : all) {
					AuthorizationResult result = rule.authorize(authentication, context);
					if (result == null || !result.isGranted()) {
						return (result != null) ? result : new AuthorizationDecision(false);
					}
				}
				return new AuthorizationDecision(true);
			}
		};
	}

}

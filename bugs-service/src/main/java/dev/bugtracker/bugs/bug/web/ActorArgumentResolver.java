package dev.bugtracker.bugs.bug.web;

import dev.bugtracker.bugs.bug.Actor;

import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Resolves {@link Actor} parameters from the request's access token, the one place that
 * decides who is acting: the user its subject names, with the roles it lists. Without a
 * token (anonymous reads and reports, where configuration allows them) nobody is acting,
 * and a token whose subject is not a user (a machine client's) acts as nobody too.
 */
class ActorArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == Actor.class;
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer container, NativeWebRequest request,
			WebDataBinderFactory binders) {
		return actorOf(SecurityContextHolder.getContext().getAuthentication());
	}

	static Actor actorOf(Authentication authentication) {
		if (!(authentication instanceof JwtAuthenticationToken token)) {
			return Actor.ANONYMOUS;
		}
		Long userId;
		try {
			userId = Long.valueOf(token.getToken().getSubject());
		}
		catch (NumberFormatException ex) {
			return Actor.ANONYMOUS;
		}
		return new Actor(userId, has(token, "ROLE_MAINTAINER"), has(token, "ROLE_ADMIN"));
	}

	private static boolean has(Authentication authentication, String authority) {
		for (GrantedAuthority granted : authentication.getAuthorities()) {
			if (authority.equals(granted.getAuthority())) {
				return true;
			}
		}
		return false;
	}

}

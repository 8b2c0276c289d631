package dev.bugtracker.platform.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts the acting user of a request in the logging context ({@code user.id}: the user id
 * of an access token, the client id of a service's token, the email of a password login),
 * so that every line the request logs says who it was for. Runs after Spring Security has
 * authenticated the request.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(SecurityContextHolder.class)
public final class ActingUserLogging {

	/** The logging context key, the Elastic Common Schema's field for it. */
	public static final String KEY = "user.id";

	@Bean
	FilterRegistrationBean<ActingUserFilter> actingUserLoggingFilter() {
		FilterRegistrationBean<ActingUserFilter> registration = new FilterRegistrationBean<>(new ActingUserFilter());
		// After the security filter chain (-100), before the application.
		registration.setOrder(Ordered.LOWEST_PRECEDENCE - 100);
		return registration;
	}

	static final class ActingUserFilter extends OncePerRequestFilter {

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			if (authentication == null || !authentication.isAuthenticated()
					|| authentication instanceof AnonymousAuthenticationToken) {
				chain.doFilter(request, response);
				return;
			}
			try (MDC.MDCCloseable user = MDC.putCloseable(KEY, authentication.getName())) {
				chain.doFilter(request, response);
			}
		}

	}

}

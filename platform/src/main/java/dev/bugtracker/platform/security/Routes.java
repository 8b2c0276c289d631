package dev.bugtracker.platform.security;

import java.util.ArrayList;
import java.util.List;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Request matchers for the services' rules. A rule that names a method covers that method
 * only, and Spring MVC answers a {@code HEAD} with the {@code GET} handler: a rule for
 * reading must therefore cover both, or a {@code HEAD} passes the rule for another method
 * (or none) and runs the read anyway.
 */
public final class Routes {

	private Routes() {
	}

	/**
	 * @param patterns path patterns
	 * @return a matcher of {@code GET} and {@code HEAD} requests to any of the patterns
	 */
	public static RequestMatcher reads(String... patterns) {
		List<RequestMatcher> matchers = new ArrayList<>();
		for (String pattern : patterns) {
			matchers.add(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, pattern));
			matchers.add(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.HEAD, pattern));
		}
		return new OrRequestMatcher(matchers);
	}

}

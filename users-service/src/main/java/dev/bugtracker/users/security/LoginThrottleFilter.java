package dev.bugtracker.users.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.bugtracker.platform.security.ProblemSecurityHandlers;
import dev.bugtracker.platform.web.ProblemWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes a login attempt (HTTP Basic, the login page) or a personal access token exchange
 * wait when its account or client address has failed too often ({@link LoginThrottle}):
 * {@code 429} with {@code Retry-After} and a problem, before the password is even
 * checked. Failed and successful password checks are counted from Spring Security's
 * authentication events; refused token exchanges from their answers.
 */
class LoginThrottleFilter extends OncePerRequestFilter {

	static final String TOKEN_EXCHANGE = "/internal/tokens/exchange";

	private final LoginThrottle throttle;

	private final ProblemWriter problems;

	private final Counter loginsSucceeded;

	private final Counter loginsFailed;

	private final Counter loginsThrottled;

	private final Counter refusedPersonalAccessTokens;

	LoginThrottleFilter(LoginThrottle throttle, ProblemWriter problems, MeterRegistry meters) {
		this.throttle = throttle;
		this.problems = problems;
		this.loginsSucceeded = logins(meters, "success");
		this.loginsFailed = logins(meters, "failure");
		this.loginsThrottled = logins(meters, "throttled");
		this.refusedPersonalAccessTokens = ProblemSecurityHandlers.tokenFailures(meters, "personal-access-token");
	}

	private static Counter logins(MeterRegistry meters, String outcome) {
		return Counter.builder("bugtracker.logins")
			.description("Password checks (login page, HTTP Basic) by outcome: success, failure, throttled "
					+ "(refused with 429 before the password was checked)")
			.tag("outcome", outcome)
			.register(meters);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean exchange = "POST".equals(request.getMethod()) && TOKEN_EXCHANGE.equals(request.getRequestURI());
		String account = exchange ? null : accountOf(request);
		if (!exchange && account == null) {
			chain.doFilter(request, response);
			return;
		}
		String address = request.getRemoteAddr();
		Duration wait = this.throttle.waitBeforeTrying(account, address);
		if (!wait.isZero()) {
			long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
					"Too many failed attempts; retry in " + seconds + " s");
			problem.setTitle("Too Many Requests");
			if (!exchange) {
				this.loginsThrottled.increment();
			}
			response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
			this.problems.write(request, response, problem);
			return;
		}
		chain.doFilter(request, response);
		if (exchange && response.getStatus() == HttpStatus.UNAUTHORIZED.value()) {
			this.refusedPersonalAccessTokens.increment();
			this.throttle.failed(null, address);
		}
	}

	/** The account a request tries to log in to: HTTP Basic, or the login form. */
	private static String accountOf(HttpServletRequest request) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
			try {
				String credentials = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
						StandardCharsets.UTF_8);
				int colon = credentials.indexOf(':');
				return (colon > 0) ? credentials.substring(0, colon) : null;
			}
			catch (IllegalArgumentException ex) {
				// Not base64: Spring Security's Basic filter refuses it.
				return null;
			}
		}
		if ("POST".equals(request.getMethod()) && "/login".equals(request.getRequestURI())) {
			return request.getParameter("username");
		}
		return null;
	}

	@EventListener
	void onFailure(AuthenticationFailureBadCredentialsEvent event) {
		if (event.getAuthentication() instanceof UsernamePasswordAuthenticationToken attempt
				&& attempt.getDetails() instanceof WebAuthenticationDetails details) {
			this.loginsFailed.increment();
			this.throttle.failed(attempt.getName(), details.getRemoteAddress());
		}
	}

	@EventListener
	void onSuccess(AuthenticationSuccessEvent event) {
		if (event.getAuthentication() instanceof UsernamePasswordAuthenticationToken login
				&& login.getDetails() instanceof WebAuthenticationDetails details) {
			this.loginsSucceeded.increment();
			this.throttle.succeeded(login.getName(), details.getRemoteAddress());
		}
	}

}

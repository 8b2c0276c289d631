package dev.bugtracker.users.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

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
 * wait when its account or client address has failed too often, and a sign-up when its
 * client address has had too many sign-ups refused for a registered address (probing
 * which addresses have accounts) ({@link LoginThrottle}): {@code 429} with
 * {@code Retry-After} and a problem, before the password is even checked. Failed and
 * successful password checks are counted from Spring Security's authentication events;
 * refused token exchanges from their answers.
 */
class LoginThrottleFilter extends OncePerRequestFilter {

	static final String TOKEN_EXCHANGE = "/internal/tokens/exchange";

	/** The sign-up paths (the tutorial's and the API's). */
	static final Set<String> SIGN_UPS = Set.of("/users", "/users/create");

	private final LoginThrottle throttle;

	private final ProblemWriter problems;

	private final Counter loginsSucceeded;

	private final Counter loginsFailed;

	private final Counter loginsThrottled;

	private final Counter refusedPersonalAccessTokens;

	private final Counter signUpsThrottled;

	LoginThrottleFilter(LoginThrottle throttle, ProblemWriter problems, MeterRegistry meters) {
		this.throttle = throttle;
		this.problems = problems;
		this.loginsSucceeded = logins(meters, "success");
		this.loginsFailed = logins(meters, "failure");
		this.loginsThrottled = logins(meters, "throttled");
		this.refusedPersonalAccessTokens = ProblemSecurityHandlers.tokenFailures(meters, "personal-access-token");
		this.signUpsThrottled = Counter.builder("bugtracker.sign_ups.throttled")
			.description("Sign-ups refused with 429 because their client address had too many sign-ups refused "
					+ "for a registered address")
			.register(meters);
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
		boolean signUp = "POST".equals(request.getMethod()) && SIGN_UPS.contains(request.getRequestURI());
		if (signUp) {
			Duration wait = this.throttle.waitBeforeSigningUp(request.getRemoteAddr());
			if (!wait.isZero()) {
				this.signUpsThrottled.increment();
				tooMany(request, response, wait, "Too many sign-ups of registered addresses from here");
				return;
			}
		}
		boolean exchange = "POST".equals(request.getMethod()) && TOKEN_EXCHANGE.equals(request.getRequestURI());
		String account = exchange ? null : accountOf(request);
		if (!exchange && account == null) {
			chain.doFilter(request, response);
			countRefusedSignUp(signUp, request, response);
			return;
		}
		String address = request.getRemoteAddr();
		Duration wait = this.throttle.waitBeforeTrying(account, address);
		if (!wait.isZero()) {
			if (!exchange) {
				this.loginsThrottled.increment();
			}
			tooMany(request, response, wait, "Too many failed attempts");
			return;
		}
		chain.doFilter(request, response);
		countRefusedSignUp(signUp, request, response);
		if (exchange && response.getStatus() == HttpStatus.UNAUTHORIZED.value()) {
			this.refusedPersonalAccessTokens.increment();
			this.throttle.failed(null, address);
		}
	}

	/**
	 * A sign-up refused with 409 (the address is registered) counts against its client
	 * address.
	 */
	private void countRefusedSignUp(boolean signUp, HttpServletRequest request, HttpServletResponse response) {
		if (signUp && response.getStatus() == HttpStatus.CONFLICT.value()) {
			this.throttle.signUpRefused(request.getRemoteAddr());
		}
	}

	private void tooMany(HttpServletRequest request, HttpServletResponse response, Duration wait, String why)
			throws IOException {
		long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
				why + "; retry in " + seconds + " s");
		problem.setTitle("Too Many Requests");
		response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
		this.problems.write(request, response, problem);
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

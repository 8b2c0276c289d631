package dev.bugtracker.platform.security;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.bugtracker.platform.web.ProblemWriter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authorization.AuthorityAuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * 401 and 403 as RFC 9457 problems, like every other error of the API. A 401 says how to
 * authenticate ({@code WWW-Authenticate}); a 403 says which role or scope was missing,
 * and nothing about the resource.
 * <p>
 * As the failure handler of bearer tokens, it also answers a token that cannot be checked
 * at all (the keys to check it with cannot be fetched: users-service is away) with 503
 * and {@code Retry-After}, where Spring Security would rethrow the error as a 500.
 */
public class ProblemSecurityHandlers
		implements AuthenticationEntryPoint, AccessDeniedHandler, AuthenticationFailureHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemSecurityHandlers.class);

	private final ProblemWriter problems;

	private final boolean passwords;

	private final Counter refusedTokens;

	/**
	 * @param problems writes the problems
	 * @param passwords whether the service also takes an email and password (HTTP Basic),
	 * which the 401 then offers beside a bearer token
	 * @param meters where refused access tokens are counted
	 * ({@code bugtracker.token.failures{kind="access-token"}})
	 */
	public ProblemSecurityHandlers(ProblemWriter problems, boolean passwords, MeterRegistry meters) {
		this.problems = problems;
		this.passwords = passwords;
		this.refusedTokens = tokenFailures(meters, "access-token");
	}

	/**
	 * The counter of refused tokens of one kind, shared by every service that refuses
	 * them.
	 * @param meters the registry
	 * @param kind {@code access-token} (a JWT) or {@code personal-access-token}
	 * @return the counter
	 */
	public static Counter tokenFailures(MeterRegistry meters, String kind) {
		return Counter.builder("bugtracker.token.failures")
			.description("Tokens refused as invalid, expired, revoked or not for this system, by kind")
			.tag("kind", kind)
			.register(meters);
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		ProblemDetail problem;
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			this.refusedTokens.increment();
			// RFC 6750: say that the token was refused, not why in detail (an expired
			// token and a forged one look alike to the caller).
			problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
					"The access token is invalid, expired or not for this system");
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
					"Bearer error=\"invalid_token\", error_description=\"" + problem.getDetail() + "\"");
		}
		else if (this.passwords) {
			problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
					"Authentication is required: send the account's email and password (HTTP Basic) "
							+ "or an access token (Bearer)");
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer, Basic realm=\"bugtracker\"");
		}
		else {
			problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
					"Authentication is required: send an access token or a personal access token (Bearer)");
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		}
		problem.setTitle("Unauthorized");
		this.problems.write(request, response, problem);
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response,
			AccessDeniedException accessDeniedException) throws IOException {
		String detail = "You are not allowed to do this";
		if (accessDeniedException instanceof AuthorizationDeniedException denied
				&& denied.getAuthorizationResult() instanceof AuthorityAuthorizationDecision decision) {
			detail = describe(decision.getAuthorities());
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, detail);
		problem.setTitle("Forbidden");
		this.problems.write(request, response, problem);
	}

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		if (exception instanceof AuthenticationServiceException) {
			// Not the client's fault, and invisible to it: the log says why.
			log.warn("Refused a request because its access token cannot be checked: {}", exception.getMessage());
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
					"The access token cannot be checked right now; nothing was changed. Retry shortly.");
			problem.setTitle("Service Unavailable");
			response.setHeader(HttpHeaders.RETRY_AFTER, "5");
			this.problems.write(request, response, problem);
			return;
		}
		commence(request, response, exception);
	}

	/**
	 * "the role ADMIN", "a token with the scope bugs:read or bugs:write": sorted, so that
	 * the same refusal always reads the same.
	 */
	private static String describe(Collection<GrantedAuthority> authorities) {
		List<String> names = authorities.stream().map(GrantedAuthority::getAuthority).sorted().toList();
		List<String> roles = names.stream()
			.filter((name) -> name.startsWith("ROLE_"))
			.map((name) -> name.substring(5))
			.toList();
		List<String> scopes = names.stream()
			.filter((name) -> name.startsWith("SCOPE_"))
			.map((name) -> name.substring(6))
			.toList();
		List<String> needs = new ArrayList<>();
		if (!roles.isEmpty()) {
			needs.add("the role " + String.join(" or ", roles));
		}
		if (!scopes.isEmpty()) {
			needs.add("a token with the scope " + String.join(" or ", scopes));
		}
		return "This needs " + String.join(", or ", needs);
	}

}

package dev.bugtracker.users.security;

import java.io.IOException;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.bugtracker.platform.web.ProblemWriter;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorityAuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 as RFC 9457 problems, like every other error of the API. A 401 says how to
 * authenticate ({@code WWW-Authenticate}); a 403 says which role was missing, and nothing
 * about the resource.
 */
class ProblemSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

	private final ProblemWriter problems;

	ProblemSecurityHandlers(ProblemWriter problems) {
		this.problems = problems;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		ProblemDetail problem;
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			// RFC 6750: say that the token was refused, not why in detail (an expired
			// token and a forged one look alike to the caller).
			problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
					"The access token is invalid, expired or not for this system");
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
					"Bearer error=\"invalid_token\", error_description=\"" + problem.getDetail() + "\"");
		}
		else {
			problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
					"Authentication is required: send the account's email and password (HTTP Basic) "
							+ "or an access token (Bearer)");
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"bugtracker\", Bearer");
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
			detail = "This needs the role " + decision.getAuthorities()
				.stream()
				.map((authority) -> authority.getAuthority().replaceFirst("^ROLE_", ""))
				.collect(Collectors.joining(" or "));
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, detail);
		problem.setTitle("Forbidden");
		this.problems.write(request, response, problem);
	}

}

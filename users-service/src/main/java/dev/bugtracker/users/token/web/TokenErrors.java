package dev.bugtracker.users.token.web;

import dev.bugtracker.users.token.InvalidPersonalAccessTokenException;
import dev.bugtracker.users.token.PersonalAccessTokenNotFoundException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The one place that maps the personal access tokens' exceptions to HTTP problems.
 */
@RestControllerAdvice(assignableTypes = { TokenController.class, TokenExchangeController.class })
@Order(Ordered.HIGHEST_PRECEDENCE)
class TokenErrors {

	@ExceptionHandler
	ProblemDetail notFound(PersonalAccessTokenNotFoundException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
		problem.setTitle("Token not found");
		return problem;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalid(InvalidPersonalAccessTokenException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, ex.getMessage());
		problem.setTitle("Unauthorized");
		return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
			.header(HttpHeaders.WWW_AUTHENTICATE,
					"Bearer error=\"invalid_token\", error_description=\"" + ex.getMessage() + "\"")
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

}

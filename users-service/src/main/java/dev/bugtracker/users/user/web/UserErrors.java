package dev.bugtracker.users.user.web;

import java.util.List;
import java.util.Map;

import dev.bugtracker.users.user.EmailAlreadyRegisteredException;
import dev.bugtracker.users.user.EmailLinkInvalidException;
import dev.bugtracker.users.security.PasswordChecks;
import dev.bugtracker.users.user.OwnAccountException;
import dev.bugtracker.users.user.UserNotFoundException;
import dev.bugtracker.users.user.WrongPasswordException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The one place that maps the users domain's exceptions to HTTP problems. Request-level
 * errors (malformed JSON, validation, media types, sizes) are mapped by the platform's
 * {@code ProblemDetailsAdvice}.
 */
@RestControllerAdvice(assignableTypes = { UserController.class, InternalUserController.class })
@Order(Ordered.HIGHEST_PRECEDENCE)
class UserErrors {

	@ExceptionHandler
	ProblemDetail notFound(UserNotFoundException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
		problem.setTitle("User not found");
		return problem;
	}

	@ExceptionHandler
	ProblemDetail invalidLink(EmailLinkInvalidException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setTitle(ex.getTitle());
		problem.setProperty("errors", List.of(Map.of("field", "token", "message", "is unknown, used or expired")));
		return problem;
	}

	@ExceptionHandler
	ProblemDetail wrongPassword(WrongPasswordException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setTitle("Wrong password");
		problem.setProperty("errors", List.of(Map.of("field", "currentPassword", "message", "is not the password")));
		return problem;
	}

	@ExceptionHandler
	ProblemDetail ownAccount(OwnAccountException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
		problem.setTitle("Own account");
		return problem;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> tooManyAttempts(PasswordChecks.TooManyAttemptsException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, ex.getMessage());
		problem.setTitle("Too many attempts");
		long seconds = Math.max(1, ex.getRetryAfter().toSeconds() + ((ex.getRetryAfter().toMillisPart() > 0) ? 1 : 0));
		return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
			.header("Retry-After", String.valueOf(seconds))
			.body(problem);
	}

	@ExceptionHandler
	ProblemDetail duplicate(EmailAlreadyRegisteredException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
		problem.setTitle("Email already registered");
		problem.setProperty("errors", List.of(Map.of("field", "email", "message", "is already registered")));
		return problem;
	}

}

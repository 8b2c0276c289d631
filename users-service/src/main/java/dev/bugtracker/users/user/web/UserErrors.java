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
		return problem(HttpStatus.NOT_FOUND, "User not found", ex, null, null);
	}

	@ExceptionHandler
	ProblemDetail invalidLink(EmailLinkInvalidException ex) {
		return problem(HttpStatus.BAD_REQUEST, ex.getTitle(), ex, "token", "is unknown, used or expired");
	}

	@ExceptionHandler
	ProblemDetail wrongPassword(WrongPasswordException ex) {
		return problem(HttpStatus.BAD_REQUEST, "Wrong password", ex, "currentPassword", "is not the password");
	}

	@ExceptionHandler
	ProblemDetail ownAccount(OwnAccountException ex) {
		return problem(HttpStatus.CONFLICT, "Own account", ex, null, null);
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
		return problem(HttpStatus.CONFLICT, "Email already registered", ex, "email", "is already registered");
	}

	/**
	 * A problem with the exception's message as its detail and, where a field is at
	 * fault, {@code errors: [{field, message}]}.
	 */
	private static ProblemDetail problem(HttpStatus status, String title, RuntimeException ex, String field,
			String message) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, ex.getMessage());
		problem.setTitle(title);
		if (field != null) {
			problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
		}
		return problem;
	}

}

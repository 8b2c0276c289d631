package dev.bugtracker.bugs.bug.web;

import dev.bugtracker.bugs.bug.BugNotFoundException;
import dev.bugtracker.bugs.bug.CommentNotFoundException;
import dev.bugtracker.bugs.bug.InvalidBugException;
import dev.bugtracker.bugs.bug.InvalidTransitionException;
import dev.bugtracker.bugs.bug.NotPermittedException;
import dev.bugtracker.bugs.bug.StaleBugException;
import dev.bugtracker.bugs.bug.UnknownReferenceException;
import dev.bugtracker.bugs.bug.UsersUnavailableException;
import dev.bugtracker.platform.web.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The one place that maps the bugs domain's exceptions to HTTP problems.
 */
@RestControllerAdvice(assignableTypes = BugController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class BugErrors {

	private static final Logger log = LoggerFactory.getLogger(BugErrors.class);

	@ExceptionHandler({ BugNotFoundException.class, CommentNotFoundException.class })
	ProblemDetail notFound(RuntimeException ex) {
		return problem(HttpStatus.NOT_FOUND, "Not found", ex.getMessage(), null);
	}

	@ExceptionHandler
	ProblemDetail invalidTransition(InvalidTransitionException ex) {
		ProblemDetail problem = problem(HttpStatus.CONFLICT, "Transition not allowed", ex.getMessage(), null);
		problem.setProperty("allowedMoves", ex.getAllowed());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail invalidField(InvalidBugException ex) {
		return problem(HttpStatus.BAD_REQUEST, "Invalid request content", ex.getMessage(), ex.getField());
	}

	@ExceptionHandler
	ProblemDetail unknownReference(UnknownReferenceException ex) {
		return problem(HttpStatus.UNPROCESSABLE_CONTENT, "Unknown reference", ex.getMessage(), ex.getField());
	}

	@ExceptionHandler
	ProblemDetail notPermitted(NotPermittedException ex) {
		return problem(HttpStatus.FORBIDDEN, "Forbidden", ex.getMessage(), null);
	}

	@ExceptionHandler
	ProblemDetail stale(StaleBugException ex) {
		return problem(HttpStatus.PRECONDITION_FAILED, "Stale version", ex.getMessage(), null);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> usersUnavailable(UsersUnavailableException ex) {
		log.warn("Refused a request because users-service is unavailable: {}", ex.getMessage());
		ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "Users unavailable",
				"Users cannot be checked right now; nothing was changed. Retry shortly.", null);
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5").body(problem);
	}

	private static ProblemDetail problem(HttpStatus status, String title, String detail, String field) {
		return Problems.of(status, title, detail, field);
	}

}

package dev.bugtracker.bugs.bug.web;

import dev.bugtracker.bugs.bug.BugNotFoundException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The one place that maps the bugs domain's exceptions to HTTP problems.
 */
@RestControllerAdvice(assignableTypes = BugController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class BugErrors {

	@ExceptionHandler
	ProblemDetail notFound(BugNotFoundException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
		problem.setTitle("Bug not found");
		return problem;
	}

}

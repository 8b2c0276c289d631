package dev.bugtracker.platform.web;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Builds every RFC 9457 problem body of the services, so that they all have one shape:
 * {@code title}, {@code status}, {@code detail}, and an {@code errors} list of
 * {@code {field, message}} when the client can point at what it got wrong.
 */
public final class Problems {

	private Problems() {
	}

	/**
	 * @param status the HTTP status
	 * @param title a short summary of the kind of problem
	 * @param detail what went wrong with this request
	 * @return the problem, without field errors
	 */
	public static ProblemDetail of(HttpStatusCode status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

	/**
	 * @param status the HTTP status
	 * @param title a short summary of the kind of problem
	 * @param detail what went wrong with this request
	 * @param field the one field, parameter or header at fault, or null
	 * @return the problem, with an {@code errors} entry for the field
	 */
	public static ProblemDetail of(HttpStatusCode status, String title, String detail, String field) {
		ProblemDetail problem = of(status, title, detail);
		if (field != null) {
			problem.setProperty("errors", List.of(Map.of("field", field, "message", detail)));
		}
		return problem;
	}

	/**
	 * @param status the HTTP status
	 * @param title a short summary of the kind of problem
	 * @param detail what went wrong with this request
	 * @param errors the fields at fault, each with {@code field} and {@code message}
	 * @return the problem, with the field errors
	 */
	public static ProblemDetail of(HttpStatusCode status, String title, String detail,
			List<Map<String, Object>> errors) {
		ProblemDetail problem = of(status, title, detail);
		problem.setProperty("errors", errors);
		return problem;
	}

}

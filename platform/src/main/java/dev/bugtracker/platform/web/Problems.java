package dev.bugtracker.platform.web;

import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.Map;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

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

	/** Seconds a client should wait before it retries while the database is away. */
	public static final String DATABASE_RETRY_AFTER = "2";

	/**
	 * @return the 503 problem of a request that found the database unavailable
	 */
	public static ProblemDetail databaseUnavailable() {
		return of(HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable",
				"The database cannot be reached right now. Retry shortly; with an Idempotency-Key a retry is always safe.");
	}

	/**
	 * Whether a failure means the database cannot be reached now (down, restarting, or no
	 * pooled connection free within the pool's connection timeout), as opposed to a bug
	 * or bad data: the client should retry.
	 * @param failure what was thrown
	 * @return whether it, or a cause, says the database is unavailable
	 */
	public static boolean isDatabaseUnavailable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessException
					|| cause instanceof CannotCreateTransactionException || cause instanceof TransactionSystemException
					|| cause instanceof SQLTransientException || cause instanceof SQLNonTransientConnectionException
					|| cause instanceof SQLRecoverableException) {
				return true;
			}
		}
		return false;
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

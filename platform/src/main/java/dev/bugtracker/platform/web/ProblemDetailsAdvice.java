package dev.bugtracker.platform.web;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error that Spring MVC raises for a bad request into an RFC 9457 problem
 * that says what was wrong and, where there is one, names the field.
 * <p>
 * Services map their own domain exceptions in their own advice; this one runs last and
 * also catches the unexpected, so that no request ever gets a stack trace.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, Object>> errors = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map(this::fieldError)
			.toList();
		String detail = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map((error) -> "'" + error.getField() + "' " + error.getDefaultMessage())
			.distinct()
			.collect(Collectors.joining("; "));
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				detail.isEmpty() ? "Invalid request content" : detail);
		problem.setTitle("Invalid request content");
		problem.setProperty("errors", errors);
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		RequestBodyTooLargeException tooLarge = findCause(ex, RequestBodyTooLargeException.class);
		if (tooLarge != null) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
					"Request body is larger than the limit of " + tooLarge.getLimit().toBytes() + " bytes");
			problem.setProperty("limit", tooLarge.getLimit().toBytes());
			return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, describe(ex));
		problem.setTitle("Unreadable request body");
		JacksonException jackson = findCause(ex, JacksonException.class);
		String field = (jackson != null) ? path(jackson) : "";
		if (!field.isEmpty()) {
			problem.setProperty("errors", List.of(Map.of("field", field, "message", problem.getDetail())));
		}
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String supported = ex.getSupportedMediaTypes().stream().map(Object::toString).collect(Collectors.joining(", "));
		String detail = (ex.getContentType() == null) ? "The request has no Content-Type; send " + supported
				: "Content-Type '" + ex.getContentType() + "' is not supported; send " + supported;
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNSUPPORTED_MEDIA_TYPE, detail);
		problem.setTitle("Unsupported Media Type");
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, Object>> errors = ex.getParameterValidationResults()
			.stream()
			.flatMap((result) -> result.getResolvableErrors()
				.stream()
				.map((error) -> Map.<String, Object>of("field",
						String.valueOf(result.getMethodParameter().getParameterName()), "message",
						String.valueOf(error.getDefaultMessage()))))
			.toList();
		String detail = errors.stream()
			.map((e) -> "'" + e.get("field") + "' " + e.get("message"))
			.collect(Collectors.joining("; "));
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		problem.setTitle("Invalid request parameters");
		problem.setProperty("errors", errors);
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	/**
	 * A parameter, header or field the transport layer refused, e.g. {@code page=-1}.
	 * @param ex the exception
	 * @return a 400 problem naming the parameter
	 */
	@ExceptionHandler
	ProblemDetail handleInvalidParameter(InvalidParameterException ex) {
		return Problems.of(HttpStatus.BAD_REQUEST, "Invalid request parameter", ex.getMessage(), ex.getField());
	}

	/**
	 * A path variable or request parameter of the wrong type, e.g. {@code /users/abc}.
	 * @param ex the exception
	 * @return a 400 problem naming the parameter
	 */
	@ExceptionHandler
	ProblemDetail handleTypeMismatch(MethodArgumentTypeMismatchException ex) {
		Class<?> enumType = enumType(ResolvableType.forMethodParameter(ex.getParameter()));
		String detail;
		if (enumType != null) {
			detail = "'" + ex.getName() + "' must be one of " + Arrays.toString(enumType.getEnumConstants()) + ", got '"
					+ ex.getValue() + "'";
		}
		else {
			String expected = (ex.getRequiredType() != null) ? ex.getRequiredType().getSimpleName() : "another type";
			detail = "'" + ex.getName() + "' must be of type " + expected + ", got '" + ex.getValue() + "'";
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		problem.setTitle("Invalid request parameter");
		problem.setProperty("errors", List.of(Map.of("field", ex.getName(), "message", problem.getDetail())));
		return problem;
	}

	/**
	 * The safety net: a bug on our side. The client gets a problem without internals; the
	 * log gets the stack trace. An unavailable database is not a bug: 503 with
	 * {@code Retry-After}.
	 * @param ex the unexpected exception
	 * @return a 500 problem, or a 503 one
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> handleUnexpected(Exception ex) {
		if (Problems.isDatabaseUnavailable(ex)) {
			// Not a bug: the database is down or restarting. Nothing was committed.
			log.warn("Refused a request because the database is unavailable: {}", ex.toString());
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header(HttpHeaders.RETRY_AFTER, Problems.DATABASE_RETRY_AFTER)
				.body(Problems.databaseUnavailable());
		}
		log.error("Unexpected error while handling a request", ex);
		return ResponseEntity.internalServerError()
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
					"An unexpected error occurred; it has been logged."));
	}

	private Map<String, Object> fieldError(FieldError error) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("field", error.getField());
		map.put("message", error.getDefaultMessage());
		if (error.getRejectedValue() != null && !isSecret(error.getField())) {
			map.put("rejectedValue", error.getRejectedValue());
		}
		return map;
	}

	/**
	 * Passwords and tokens are never echoed: an error body ends up in browser histories,
	 * proxies and logs.
	 */
	private static boolean isSecret(String field) {
		String name = field.toLowerCase(Locale.ROOT);
		return name.contains("password") || name.contains("token") || name.contains("secret");
	}

	private static String describe(HttpMessageNotReadableException ex) {
		JacksonException jackson = findCause(ex, JacksonException.class);
		if (jackson == null) {
			return "Request body is missing or unreadable; expected a JSON object";
		}
		String field = path(jackson);
		if (jackson instanceof UnrecognizedPropertyException unknown) {
			return "'" + field + "' is not a known field; known fields are " + unknown.getKnownPropertyIds();
		}
		if (jackson instanceof MismatchedInputException mismatch) {
			if (field.isEmpty()) {
				return "Request body must be a JSON object";
			}
			Class<?> target = mismatch.getTargetType();
			if (target != null && target.isEnum()) {
				return "'" + field + "' must be one of " + Arrays.toString(target.getEnumConstants());
			}
			String type = (target != null) ? jsonType(target) : "another type";
			return "'" + field + "' has the wrong type; expected " + type;
		}
		if (jackson instanceof StreamReadException && jackson.getLocation() != null) {
			return "Malformed JSON at line " + jackson.getLocation().getLineNr() + ", column "
					+ jackson.getLocation().getColumnNr() + ": " + jackson.getOriginalMessage();
		}
		return field.isEmpty() ? "Malformed JSON: " + jackson.getOriginalMessage()
				: "'" + field + "' is invalid: " + jackson.getOriginalMessage();
	}

	private static String jsonType(Class<?> type) {
		if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
			return "a string";
		}
		if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
			return "a number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (Iterable.class.isAssignableFrom(type) || type.isArray()) {
			return "an array";
		}
		return "an object";
	}

	/** The JSON path of the failing field, e.g. {@code email} or {@code labels[2]}. */
	private static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	private static Class<?> enumType(ResolvableType type) {
		ResolvableType element = type.isArray() ? type.getComponentType()
				: (type.asCollection() != ResolvableType.NONE) ? type.asCollection().getGeneric() : type;
		Class<?> resolved = element.resolve();
		return (resolved != null && resolved.isEnum()) ? resolved : null;
	}

	private static <T extends Throwable> T findCause(Throwable ex, Class<T> type) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

}

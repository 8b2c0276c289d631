package dev.bugtracker.gateway;

import java.net.ConnectException;
import java.net.URI;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers every error of the gateway itself (no route, no instance of a service, a
 * service that cannot be reached) with an RFC 9457 problem, like the services do.
 * Responses that a service sent pass through unchanged.
 */
@Component
@Order(-2) // before Spring Boot's DefaultErrorWebExceptionHandler (-1)
class ProblemDetailsErrorHandler implements ErrorWebExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemDetailsErrorHandler.class);

	private final JsonMapper mapper;

	ProblemDetailsErrorHandler(JsonMapper mapper) {
		this.mapper = mapper;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		ProblemDetail problem = toProblem(ex);
		problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
		HttpStatusCode status = HttpStatusCode.valueOf(problem.getStatus());
		if (status.is5xxServerError()) {
			log.warn("{} {} failed: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
					ex.toString());
		}
		exchange.getResponse().setStatusCode(status);
		HttpHeaders headers = exchange.getResponse().getHeaders();
		headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (status.value() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
			headers.set(HttpHeaders.RETRY_AFTER, "5");
		}
		DataBuffer body = exchange.getResponse().bufferFactory().wrap(this.mapper.writeValueAsBytes(problem));
		return exchange.getResponse().writeWith(Mono.just(body));
	}

	private static ProblemDetail toProblem(Throwable ex) {
		if (ex instanceof ErrorResponse response) {
			ProblemDetail problem = response.getBody();
			if (response.getStatusCode().value() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
				// e.g. "Unable to find instance for users-service": the service is not
				// registered (yet).
				problem.setDetail("The service behind this route is unavailable; retry shortly");
			}
			return problem;
		}
		if (ex instanceof ConnectException || ex.getCause() instanceof ConnectException) {
			return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
					"The service behind this route cannot be reached; retry shortly");
		}
		if (ex instanceof TimeoutException || ex.getCause() instanceof TimeoutException) {
			return ProblemDetail.forStatusAndDetail(HttpStatus.GATEWAY_TIMEOUT,
					"The service behind this route did not answer in time");
		}
		return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, "The gateway could not complete the request");
	}

}

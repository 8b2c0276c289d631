package dev.bugtracker.gateway;

import java.net.URI;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * Where a route's circuit breaker sends a request it could not complete: a 503 problem
 * with {@code Retry-After}, for every method, saying whether the breaker is open, the
 * service timed out, the route is saturated, no instance is registered, or the service
 * could not be reached.
 */
@RestController
class FallbackController {

	private static final Logger log = LoggerFactory.getLogger(FallbackController.class);

	private final MeterRegistry meters;

	FallbackController(MeterRegistry meters) {
		this.meters = meters;
	}

	@RequestMapping("/fallback/{service}")
	Mono<ResponseEntity<ProblemDetail>> fallback(@PathVariable String service, ServerWebExchange exchange) {
		Throwable failure = exchange.getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
		ProblemDetail problem;
		String retryAfter = "5";
		if (failure instanceof CallNotPermittedException) {
			problem = problem(service + " is failing; its circuit breaker is open and requests are not sent to it",
					"circuit-open");
			retryAfter = "10";
		}
		else if (failure instanceof BulkheadFullException) {
			problem = problem(service + " has too many requests in flight at the gateway; this one was not sent",
					"overloaded");
			retryAfter = "1";
		}
		else if (failure instanceof NotFoundException) {
			problem = problem("no instance of " + service + " is registered (yet)", "no-instance");
		}
		else if (failure instanceof TimeoutException) {
			problem = problem(service + " did not answer in time", "timeout");
		}
		else {
			problem = problem(service + " cannot be reached", "unavailable");
		}
		URI original = exchange
			.getAttribute(ServerWebExchangeUtils.GATEWAY_ORIGINAL_REQUEST_URL_ATTR) instanceof java.util.Set<?> urls
				&& !urls.isEmpty() && urls.iterator().next() instanceof URI uri ? uri : null;
		if (original != null) {
			problem.setInstance(URI.create(original.getRawPath()));
		}
		String reason = String.valueOf(problem.getProperties().get("reason"));
		Counter.builder("bugtracker.gateway.fallbacks")
			.description("Requests a route answered with its 503 fallback instead of the service's answer, by "
					+ "service and reason: circuit-open, overloaded (the gateway shedding load), no-instance, "
					+ "timeout, unavailable")
			.tags("service", service, "reason", reason)
			.register(this.meters)
			.increment();
		// The instance the load balancer chose, if it got that far: which one failed
		// matters
		// to whoever reads this (a new instance still warming up, one that is leaving).
		// (The last one, after retries; the request URL attribute holds the fallback's by
		// now.)
		Response<?> chosen = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR);
		String instance = (chosen != null && chosen.getServer() instanceof ServiceInstance routed)
				? routed.getInstanceId() : "no instance";
		log.warn("{} {} failed at {}: {}", exchange.getRequest().getMethod(),
				(original != null) ? original.getRawPath() : service, instance,
				(failure != null) ? failure.toString() : "-");
		return Mono.just(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, retryAfter)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem));
	}

	private static ProblemDetail problem(String detail, String reason) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
		problem.setTitle("Service Unavailable");
		problem.setProperty("reason", reason);
		return problem;
	}

}

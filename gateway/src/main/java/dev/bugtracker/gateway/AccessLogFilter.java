package dev.bugtracker.gateway;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler.TracingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The gateway's access log, on the logger {@code bugtracker.access}: one line per request
 * that failed (4xx, 5xx) or took longer than a second, at INFO, with its trace id, so
 * that the {@code X-Trace-Id} a user reports leads to the request even where no service
 * logged anything; every other request at DEBUG
 * ({@code logging.level.bugtracker.access=DEBUG} logs them all, {@code WARN} none).
 * Answers that went well stay out of the log by default: at thousands of requests a
 * second, a line each would cost the gateway more than it tells.
 */
@Component
class AccessLogFilter implements WebFilter, Ordered {

	private static final Logger log = LoggerFactory.getLogger("bugtracker.access");

	private static final long SLOW_NANOS = 1_000_000_000L;

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().value();
		if (path.startsWith("/actuator") || !log.isInfoEnabled()) {
			return chain.filter(exchange);
		}
		long start = System.nanoTime();
		return chain.filter(exchange).doFinally((signal) -> log(exchange, path, System.nanoTime() - start));
	}

	private void log(ServerWebExchange exchange, String path, long nanos) {
		HttpStatusCode status = exchange.getResponse().getStatusCode();
		boolean notable = status == null || status.isError() || nanos > SLOW_NANOS;
		if (!notable && !log.isDebugEnabled()) {
			return;
		}
		Span span = ServerRequestObservationContext.findCurrent(exchange.getAttributes())
			.map((context) -> context.<TracingContext>get(TracingContext.class))
			.map(TracingContext::getSpan)
			.orElse(null);
		// The request's span is over by now, and WebFlux keeps no MDC: set the ids this
		// line needs.
		try (MDC.MDCCloseable trace = (span != null) ? MDC.putCloseable("traceId", span.context().traceId()) : null;
				MDC.MDCCloseable spanId = (span != null) ? MDC.putCloseable("spanId", span.context().spanId()) : null) {
			String line = "{} {} -> {} in {} ms";
			Object[] values = { exchange.getRequest().getMethod(), path,
					(status != null) ? status.value() : "no answer", nanos / 1_000_000 };
			if (notable) {
				log.info(line, values);
			}
			else {
				log.debug(line, values);
			}
		}
	}

	/**
	 * Beside the trace id filter: after the observation filter starts the request's span.
	 */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 11;
	}

}

package dev.bugtracker.gateway;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler.TracingContext;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Tells every client the trace id of its request in an {@code X-Trace-Id} response
 * header, so a failed call can be found in the logs of every service it went through.
 */
@Component
class TraceIdResponseFilter implements WebFilter, Ordered {

	static final String HEADER = "X-Trace-Id";

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		exchange.getResponse().beforeCommit(() -> {
			ServerRequestObservationContext.findCurrent(exchange.getAttributes())
				.map((context) -> context.<TracingContext>get(TracingContext.class))
				.map(TracingContext::getSpan)
				.map(Span::context)
				.ifPresent((span) -> exchange.getResponse().getHeaders().set(HEADER, span.traceId()));
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

	/** After the observation filter, which starts the request's span. */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

}

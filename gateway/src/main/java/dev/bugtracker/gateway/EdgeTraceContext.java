package dev.bugtracker.gateway;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * The gateway is where traces start: trace context that a client sends
 * ({@code traceparent}, {@code tracestate}, B3, {@code baggage}) is dropped before the
 * request's observation reads it, so every request gets a trace of the gateway's own. A
 * client could otherwise choose the trace id (and so the {@code X-Trace-Id} of its
 * requests and where their spans land), force sampling, or put baggage into every
 * service's logs. A decorator of the whole HTTP handler, because WebFlux starts the
 * request's observation before any {@code WebFilter} runs.
 */
@Component
class EdgeTraceContext implements HttpHandlerDecoratorFactory {

	static final List<String> HEADERS = List.of("traceparent", "tracestate", "b3", "X-B3-TraceId", "X-B3-SpanId",
			"X-B3-ParentSpanId", "X-B3-Sampled", "X-B3-Flags", "baggage");

	@Override
	public HttpHandler apply(HttpHandler handler) {
		return (request, response) -> handler.handle(withoutTraceContext(request), response);
	}

	private static ServerHttpRequest withoutTraceContext(ServerHttpRequest request) {
		HttpHeaders headers = request.getHeaders();
		if (HEADERS.stream().noneMatch(headers::containsHeader)) {
			return request;
		}
		return request.mutate().headers((mutable) -> HEADERS.forEach(mutable::remove)).build();
	}

}

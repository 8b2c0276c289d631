package dev.bugtracker.gateway;

import java.time.Duration;

import reactor.core.publisher.Mono;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Refuses a request whose declared body is larger than the gateway's limit, before it is
 * routed: 413 with the problem body of every other error
 * ({@link ProblemDetailsErrorHandler}). It stands in for Spring Cloud Gateway's
 * {@code RequestSize} filter, which answers with an empty body. A chunked body declares
 * no size: the services' own, smaller limit answers it with the same 413 problem. A
 * refused body up to {@code bugtracker.gateway.discard-refused-body-up-to} is read and
 * dropped before the answer, so that the client reads the 413 rather than a reset.
 */
@Component
@EnableConfigurationProperties(EdgeProperties.class)
class RequestBodyLimitFilter implements GlobalFilter, Ordered {

	/** How long a refused body is read before the answer goes out anyway. */
	private static final Duration DISCARD_AT_MOST = Duration.ofSeconds(10);

	private final DataSize limit;

	private final DataSize discardUpTo;

	RequestBodyLimitFilter(EdgeProperties properties) {
		this.limit = properties.maxRequestBody();
		this.discardUpTo = properties.discardRefusedBodyUpTo();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		long length = exchange.getRequest().getHeaders().getContentLength();
		if (length > this.limit.toBytes()) {
			exchange.getResponse().getHeaders().setConnection("close");
			Mono<Void> refusal = Mono
				.error(new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE, "The request body of " + length
						+ " bytes is larger than the limit of " + this.limit.toBytes() + " bytes"));
			if (length > this.discardUpTo.toBytes()) {
				return refusal;
			}
			// A connection closed while the client is still sending is reset, and the
			// client may see the reset instead of the answer: read what it sends and drop
			// it (as nginx's lingering close and Tomcat's swallowing do), then answer.
			return exchange.getRequest()
				.getBody()
				.doOnNext(DataBufferUtils::release)
				.then()
				.timeout(DISCARD_AT_MOST)
				.onErrorResume((ex) -> Mono.empty())
				.then(refusal);
		}
		return chain.filter(exchange);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}

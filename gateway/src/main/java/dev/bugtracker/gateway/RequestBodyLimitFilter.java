package dev.bugtracker.gateway;

import reactor.core.publisher.Mono;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
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
 * no size: the services' own, smaller limit answers it with the same 413 problem.
 */
@Component
@EnableConfigurationProperties(EdgeProperties.class)
class RequestBodyLimitFilter implements GlobalFilter, Ordered {

	private final DataSize limit;

	RequestBodyLimitFilter(EdgeProperties properties) {
		this.limit = properties.maxRequestBody();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		long length = exchange.getRequest().getHeaders().getContentLength();
		if (length > this.limit.toBytes()) {
			// The client may still be sending: do not read what is refused.
			exchange.getResponse().getHeaders().setConnection("close");
			return Mono.error(new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE, "The request body of " + length
					+ " bytes is larger than the limit of " + this.limit.toBytes() + " bytes"));
		}
		return chain.filter(exchange);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}

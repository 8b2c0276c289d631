package dev.bugtracker.gateway;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway's own errors are RFC 9457 problems, and every response tells the trace id.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "server.address=127.0.0.1" })
class GatewayErrorsTest {

	@Value("${local.server.port}")
	private int port;

	private WebTestClient client() {
		return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
	}

	@Test
	void answersAServiceWithoutInstancesWith503ProblemAndRetryAfter() {
		client().get()
			.uri("/users/1")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.exists("Retry-After")
			.expectHeader()
			.valueMatches(TraceIdResponseFilter.HEADER, "[0-9a-f]{32}")
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(503)
			.jsonPath("$.instance")
			.isEqualTo("/users/1");
	}

	@Test
	void startsItsOwnTraceWhateverTraceContextTheClientSends() {
		String clients = "4bf92f3577b34da6a3ce929d0e0e4736";
		String traceId = client().get()
			.uri("/users/1")
			.header("traceparent", "00-" + clients + "-00f067aa0ba902b7-01")
			.header("b3", clients + "-00f067aa0ba902b7-1")
			.exchange()
			.expectHeader()
			.valueMatches(TraceIdResponseFilter.HEADER, "[0-9a-f]{32}")
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst(TraceIdResponseFilter.HEADER);
		org.assertj.core.api.Assertions.assertThat(traceId).isNotEqualTo(clients);
	}

	@Test
	void servesASwaggerUiListingBothServices() {
		client().get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
		client().get()
			.uri("/v3/api-docs/swagger-config")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.urls[*].url")
			.value((urls) -> org.assertj.core.api.Assertions.assertThat(urls.toString().replace("\\/", "/"))
				.contains("/api-docs/users-service", "/api-docs/bugs-service"));
	}

	@Test
	void answersAnUnroutedPathWith404Problem() {
		client().post()
			.uri("/nowhere")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

}

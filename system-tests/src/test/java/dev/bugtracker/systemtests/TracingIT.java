package dev.bugtracker.systemtests;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Distributed tracing into a real Zipkin server (its executable jar, which the stack
 * starts and every service sends its spans to): one request through the gateway is one
 * trace, down to the email's delivery, and Zipkin's dependency view shows the service
 * map.
 */
@ExtendWith(StackExtension.class)
class TracingIT {

	@Test
	void aSignUpIsOneTraceFromTheGatewayThroughTheOutboxAndGrpcToTheEmailDelivery(Stack stack) {
		HttpResponse<String> created = stack.json("POST", stack.gatewayPort, "/users",
				"{\"email\": \"traced-" + UUID.randomUUID() + "@example.com\"}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String traceId = created.headers().firstValue("X-Trace-Id").orElseThrow();

		assertOneTree(stack, traceId, "gateway SERVER http post", "users-service SERVER http post /users",
				"users-service CONSUMER bugtracker.outbox.delivery",
				"users-service CLIENT bugtracker.notificator.v1.notificator/sendemail",
				"notificator-service SERVER bugtracker.notificator.v1.notificator/sendemail",
				"notificator-service deliver email");
	}

	/**
	 * The trace has these spans and is one tree: a single root (the gateway's), every
	 * other span's parent in the trace. Each service sends its spans in batches of its
	 * own, so a child can reach Zipkin before its parent does (notificator's span of an
	 * email before bugs-service's call that sent it): the tree is judged once every span
	 * that has arrived has its parent beside it, or when 30 s have passed.
	 */
	private static void assertOneTree(Stack stack, String traceId, String... expected) {
		try {
			stack.await(Duration.ofSeconds(30), "Zipkin has the trace's spans and each one's parent", () -> {
				List<Map<String, Object>> spans = spans(stack, traceId);
				return spans.stream().map(TracingIT::describe).toList().containsAll(List.of(expected))
						&& missingParents(spans).isEmpty();
			});
		}
		catch (AssertionError ex) {
			// The assertions below say which span or parent is missing.
		}
		List<Map<String, Object>> spans = spans(stack, traceId);
		assertThat(spans.stream().map(TracingIT::describe).toList()).contains(expected);
		Set<Object> ids = spans.stream().map((span) -> span.get("id")).collect(Collectors.toSet());
		assertThat(spans).filteredOn((span) -> span.get("parentId") == null)
			.singleElement()
			.satisfies((root) -> assertThat(describe(root)).startsWith("gateway SERVER"));
		assertThat(spans).filteredOn((span) -> span.get("parentId") != null)
			.allSatisfy((span) -> assertThat(ids).as(describe(span)).contains(span.get("parentId")));
	}

	private static List<Object> missingParents(List<Map<String, Object>> spans) {
		Set<Object> ids = spans.stream().map((span) -> span.get("id")).collect(Collectors.toSet());
		return spans.stream()
			.map((span) -> span.get("parentId"))
			.filter((parent) -> parent != null && !ids.contains(parent))
			.toList();
	}

	@Test
	void zipkinsDependencyViewShowsTheServiceMap(Stack stack) {
		Stack.Account reporter = stack.signUp("map-" + UUID.randomUUID() + "@example.com");
		Stack.Account assignee = stack.signUp("map-" + UUID.randomUUID() + "@example.com");
		// bugs-service asks users-service about the assignee (Feign) and emails them
		// (outbox, gRPC to notificator).
		HttpResponse<String> reported = stack.json("POST", stack.gatewayPort, "/bugs",
				"{\"title\": \"Mapped\", \"assigneeId\": " + assignee.id() + "}", "Authorization", reporter.bearer());
		assertThat(reported.statusCode()).as(reported.body()).isEqualTo(201);
		// The Feign call runs on a thread of the circuit breaker (for its time limiter):
		// it is still part of the request's trace, not a trace of its own.
		String traceId = reported.headers().firstValue("X-Trace-Id").orElseThrow();
		assertOneTree(stack, traceId, "gateway SERVER http post", "bugs-service CLIENT http get",
				"users-service SERVER http get /internal/users/{id}");

		stack.await(Duration.ofSeconds(60), "Zipkin links every caller to what it calls", () -> {
			Set<String> links = links(stack);
			return links.containsAll(
					Set.of("gateway -> users-service", "gateway -> bugs-service", "bugs-service -> users-service",
							"users-service -> notificator-service", "bugs-service -> notificator-service"));
		});
	}

	private static List<Map<String, Object>> spans(Stack stack, String traceId) {
		HttpResponse<String> trace = stack.get(stack.zipkinPort, "/api/v2/trace/" + traceId);
		return (trace.statusCode() == 200) ? JsonPath.read(trace.body(), "$") : List.of();
	}

	private static Set<String> links(Stack stack) {
		long now = System.currentTimeMillis();
		List<Map<String, Object>> links = JsonPath
			.read(stack.get(stack.zipkinPort, "/api/v2/dependencies?endTs=" + now + "&lookback=3600000").body(), "$");
		return links.stream()
			.map((link) -> link.get("parent") + " -> " + link.get("child"))
			.collect(Collectors.toSet());
	}

	/** "service KIND name" of a span, as Zipkin shows it. */
	private static String describe(Map<String, Object> span) {
		Object service = JsonPath.read(span, "$.localEndpoint.serviceName");
		Object kind = span.get("kind");
		return service + ((kind != null) ? " " + kind : "") + " " + span.get("name");
	}

}

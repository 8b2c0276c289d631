package dev.bugtracker.systemtests;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry dies: the services keep routing from their cached view, and register again
 * when it comes back.
 */
@ExtendWith(StackExtension.class)
class RegistryOutageIT {

	@Test
	void servicesKeepRoutingWithoutTheRegistryAndRegisterAgainWhenItReturns(Stack stack) throws Exception {
		Stack.Account reporter = stack.signUp("registry-outage-" + System.nanoTime() + "@example.com");
		java.net.URI gateway = stack.uri(stack.gatewayPort, "/");
		String filed = "{\"title\": \"Filed without a registry\", \"assigneeId\": " + reporter.id() + "}";
		stack.registry.kill();
		// 8 concurrent clients for 60 s: reads of both services, and reports that make
		// bugs-service reach users-service (Feign) from its cached registry too.
		Load load = new Load(8, (client, http) -> List.of(http.send(switch (client % 3) {
			case 0 -> java.net.http.HttpRequest.newBuilder(gateway.resolve("/users/" + reporter.id()))
				.timeout(Duration.ofSeconds(20))
				.build();
			case 1 -> java.net.http.HttpRequest.newBuilder(gateway.resolve("/bugs?size=1"))
				.timeout(Duration.ofSeconds(20))
				.build();
			default -> java.net.http.HttpRequest.newBuilder(gateway.resolve("/bugs"))
				.timeout(Duration.ofSeconds(20))
				.header("Content-Type", "application/json")
				.header("Authorization", reporter.bearer())
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString(filed))
				.build();
		}, HttpResponse.BodyHandlers.ofString())));
		String summary;
		try {
			load.keepGoingFor(Duration.ofSeconds(60));
		}
		finally {
			load.close();
			summary = load.summary();
			stack.registry.stop();
			stack.registry.start();
			stack.awaitReady(stack.registry, stack.registryPort);
		}
		System.out.println("60 s without the registry: " + summary);
		assertThat(load.failures()).as("requests that failed without the registry: %s", summary).isEmpty();
		assertThat(load.succeeded()).isGreaterThan(60);
		stack.await(Duration.ofSeconds(30), "every service is registered again", () -> {
			HttpResponse<String> apps = stack.registry("/eureka/apps");
			List<String> names = JsonPath.read(apps.body(), "$.applications.application[*].name");
			return names.containsAll(Stack.APPLICATIONS);
		});
		// Each service refreshes its own view from the restarted registry: wait until the
		// gateway and
		// bugs-service (for its Feign calls to users-service) route again, for the tests
		// that follow.
		// A new reporter each time: bugs-service caches users it has found, so only an
		// unknown one proves that its Feign client reaches users-service again.
		stack.await(Duration.ofSeconds(60), "the gateway and bugs-service route again after the registry restart",
				() -> {
					HttpResponse<String> user = stack.json("POST", stack.gatewayPort, "/users",
							"{\"email\": \"after-outage-" + System.nanoTime() + "@example.com\"}");
					if (user.statusCode() != 201) {
						return false;
					}
					long fresh = ((Number) JsonPath.read(user.body(), "$.id")).longValue();
					return stack
						.json("POST", stack.gatewayPort, "/bugs",
								"{\"title\": \"Filed after the registry came back\", \"assigneeId\": " + fresh + "}",
								"Authorization", reporter.bearer())
						.statusCode() == 201;
				});
	}

}

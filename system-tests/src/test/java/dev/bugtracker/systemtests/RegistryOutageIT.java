package dev.bugtracker.systemtests;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.JsonPath;
import org.awaitility.Awaitility;
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
		stack.registry.kill();
		AtomicInteger requests = new AtomicInteger();
		try {
			Awaitility.await("requests through the gateway keep succeeding for 60 s without the registry")
				.during(Duration.ofSeconds(60))
				.atMost(Duration.ofSeconds(75))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> {
					requests.incrementAndGet();
					return stack.routesToUsers() && stack.get(stack.gatewayPort, "/bugs?size=1").statusCode() == 200
					// bugs-service reaches users-service (Feign) from its cached registry
					// too.
							&& stack
								.json("POST", stack.gatewayPort, "/bugs",
										"{\"title\": \"Filed without a registry\", \"assigneeId\": " + reporter.id()
												+ "}",
										"Authorization", reporter.bearer())
								.statusCode() == 201;
				});
		}
		finally {
			stack.registry.stop();
			stack.registry.start();
			stack.awaitReady(stack.registry, stack.registryPort);
		}
		assertThat(requests.get()).isGreaterThan(60);
		stack.await(Duration.ofSeconds(30), "every service is registered again", () -> {
			HttpResponse<String> apps = stack.get(stack.registryPort, "/eureka/apps");
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

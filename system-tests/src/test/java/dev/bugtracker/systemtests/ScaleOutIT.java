package dev.bugtracker.systemtests;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two users-service instances behind the gateway, sharing one PostgreSQL database: the
 * load is spread over both, and a crash of one loses no request.
 */
@ExtendWith(StackExtension.class)
class ScaleOutIT {

	@Test
	void spreadsLoadOverBothInstancesAndLosesNoRequestWhenOneCrashes(Stack stack) throws Exception {
		ServiceProcess second = stack.startAnotherUsersInstance();
		try {
			stack.await(Duration.ofSeconds(60), "the gateway routes to both instances", () -> {
				double before = gets(stack, second.port);
				for (int i = 0; i < 4; i++) {
					stack.get(stack.gatewayPort, "/users?size=1");
				}
				return gets(stack, second.port) > before;
			});

			double first0 = gets(stack, stack.usersPort);
			double second0 = gets(stack, second.port);
			for (int i = 0; i < 200; i++) {
				assertThat(stack.get(stack.gatewayPort, "/users?size=1").statusCode()).isEqualTo(200);
			}
			double toFirst = gets(stack, stack.usersPort) - first0;
			double toSecond = gets(stack, second.port) - second0;
			assertThat(toFirst + toSecond).isGreaterThanOrEqualTo(200);
			assertThat(toFirst).as("share of the first instance").isGreaterThanOrEqualTo(60);
			assertThat(toSecond).as("share of the second instance").isGreaterThanOrEqualTo(60);

			List<String> failures = new ArrayList<>();
			for (int i = 0; i < 300; i++) {
				if (i == 50) {
					second.kill();
				}
				HttpResponse<String> response = stack.get(stack.gatewayPort, "/users?size=1");
				if (response.statusCode() != 200) {
					failures.add(i + ": " + response.statusCode() + " " + response.body());
				}
			}
			assertThat(failures).as("requests that failed after kill -9 of one instance").isEmpty();
		}
		finally {
			second.stop();
			// Let the registry forget the dead instance, so later tests do not meet it.
			forgetSecondInstance(stack);
		}
	}

	@Test
	void aRollingRestartDuringKeyedPostsFailsNothingAndDuplicatesNothing(Stack stack) throws Exception {
		ServiceProcess second = stack.startAnotherUsersInstance();
		List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
		List<String> emails = new java.util.concurrent.CopyOnWriteArrayList<>();
		java.util.concurrent.atomic.AtomicBoolean streaming = new java.util.concurrent.atomic.AtomicBoolean(true);
		Thread writer = new Thread(() -> {
			int i = 0;
			while (streaming.get()) {
				String email = "rolling-" + (i++) + "-" + java.util.UUID.randomUUID() + "@example.com";
				HttpResponse<String> created = stack.json("POST", stack.gatewayPort, "/users",
						"{\"email\": \"" + email + "\"}", "Idempotency-Key", java.util.UUID.randomUUID().toString());
				if (created.statusCode() == 201) {
					emails.add(email);
				}
				else {
					failures.add(created.statusCode() + " " + created.body());
				}
			}
		}, "keyed-posts");
		try {
			writer.start();
			stack.await(Duration.ofSeconds(30), "a few registrations went through", () -> emails.size() >= 10);
			second.stop(); // SIGTERM: leaves the registry, then drains
			second.start();
			stack.awaitReady(second, second.port);
			int before = emails.size();
			stack.await(Duration.ofSeconds(30), "registrations go on after the restart",
					() -> emails.size() >= before + 10);
		}
		finally {
			streaming.set(false);
			writer.join(30_000);
			second.stop();
			forgetSecondInstance(stack);
		}
		assertThat(failures).as("keyed POSTs that failed during the rolling restart").isEmpty();
		for (String email : emails) {
			HttpResponse<String> found = stack.get(stack.gatewayPort, "/users?email=" + email);
			assertThat((Integer) JsonPath.read(found.body(), "$.page.totalElements")).as(email).isEqualTo(1);
		}
	}

	/**
	 * Wait until the registry and the gateway know only the first instance: unkeyed POSTs
	 * are not retried, so later tests must not meet the stopped one.
	 */
	private static void forgetSecondInstance(Stack stack) {
		stack.await(Duration.ofSeconds(90), "the registry lists one users-service instance", () -> {
			HttpResponse<String> app = stack.get(stack.registryPort, "/eureka/apps/USERS-SERVICE");
			List<String> instances = JsonPath.read(app.body(), "$.application.instance[*].instanceId");
			return instances.size() == 1;
		});
		// An invalid registration is answered 400 by a live instance and 503 by the
		// gateway for a gone
		// one; round robin would hit a gone instance within a few requests.
		stack.await(Duration.ofSeconds(60), "the gateway routes only to the remaining instance", () -> {
			for (int i = 0; i < 6; i++) {
				if (stack.json("POST", stack.gatewayPort, "/users", "{}").statusCode() != 400) {
					return false;
				}
			}
			return true;
		});
	}

	/** GET /users requests an instance has served, from its own metrics. */
	private static double gets(Stack stack, int port) {
		return stack.prometheus(port)
			.lines()
			.filter((line) -> line.startsWith("http_server_requests_seconds_count{") && line.contains("method=\"GET\"")
					&& line.contains("uri=\"/users\""))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

}

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
			stack.await(Duration.ofSeconds(90), "the registry lists one users-service instance", () -> {
				HttpResponse<String> app = stack.get(stack.registryPort, "/eureka/apps/USERS-SERVICE");
				List<String> instances = JsonPath.read(app.body(), "$.application.instance[*].instanceId");
				return instances.size() == 1;
			});
		}
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

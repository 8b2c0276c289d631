package dev.bugtracker.systemtests;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two users-service instances behind the gateway, sharing one PostgreSQL database: the
 * load is spread over both, and a crash or a graceful scale-down of one loses no request.
 */
@ExtendWith(StackExtension.class)
class ScaleOutIT {

	private static final java.util.Map<Stack, Long> PROFILES = new java.util.concurrent.ConcurrentHashMap<>();

	@Test
	void spreadsLoadOverBothInstancesAndLosesNoRequestWhenOneCrashes(Stack stack) throws Exception {
		stack.restoreOwnInstances();
		ServiceProcess second = stack.startAnotherUsersInstance();
		try {
			stack.await(Duration.ofSeconds(60), "the gateway routes to both instances", () -> routesTo(stack, second));

			double first0 = gets(stack, stack.usersPort);
			double second0 = gets(stack, second.port);
			for (int i = 0; i < 200; i++) {
				assertThat(stack.get(stack.gatewayPort, "/users/" + profile(stack)).statusCode()).isEqualTo(200);
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
				HttpResponse<String> response = stack.get(stack.gatewayPort, "/users/" + profile(stack));
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
	void aGracefulScaleDownUnderConcurrentLoadFailsNothingAndDuplicatesNothing(Stack stack) throws Exception {
		stack.restoreOwnInstances();
		ServiceProcess second = stack.startAnotherUsersInstance();
		List<String> registered = new java.util.concurrent.CopyOnWriteArrayList<>();
		java.net.URI gateway = stack.uri(stack.gatewayPort, "/");
		// 16 clients: reads, keyed registrations, and registrations without a key (which
		// the gateway may only retry when the connection was refused).
		Load load = new Load(16, (client, http) -> {
			if (client % 4 == 0) {
				return List
					.of(http.send(java.net.http.HttpRequest.newBuilder(gateway.resolve("/users/" + profile(stack)))
						.timeout(Duration.ofSeconds(20))
						.build(), java.net.http.HttpResponse.BodyHandlers.ofString()));
			}
			String email = "scale-down-" + java.util.UUID.randomUUID() + "@example.com";
			java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(gateway.resolve("/users"))
				.timeout(Duration.ofSeconds(20))
				.header("Content-Type", "application/json")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"email\": \"" + email + "\"}"));
			if (client % 2 == 1) {
				request.header("Idempotency-Key", java.util.UUID.randomUUID().toString());
			}
			HttpResponse<String> created = http.send(request.build(),
					java.net.http.HttpResponse.BodyHandlers.ofString());
			if (created.statusCode() == 201) {
				registered.add(email);
			}
			return List.of(created);
		});
		try {
			stack.await(Duration.ofSeconds(30), "registrations go through", () -> registered.size() >= 50);
			second.stop(); // SIGTERM: leaves the registry, then drains
			int before = registered.size();
			stack.await(Duration.ofSeconds(30), "registrations go on after the scale-down",
					() -> registered.size() >= before + 100);
		}
		finally {
			load.close();
			second.stop();
			forgetSecondInstance(stack);
		}
		System.out.println("users-service scaled down under 16 clients: " + load.summary());
		assertThat(load.failures()).as("requests that failed during the scale-down").isEmpty();
		assertThat(load.cutOff()).as("answers cut off during the scale-down").isEmpty();
		// A registration run twice would have sent its welcome email twice (the second
		// run's 409 would show up as a failure above), and one lost would send none.
		stack.await(Duration.ofSeconds(60), "every registration's welcome email is delivered", () -> {
			var mailbox = stack.mailbox();
			return registered.stream()
				.allMatch((email) -> mailbox.values().stream().anyMatch((eml) -> eml.contains("To: " + email)));
		});
		// One read of the mailbox: reading it again for each of some hundred
		// registrations
		// took minutes.
		Collection<String> mailbox = stack.mailbox().values();
		for (String email : registered) {
			assertThat(mailbox.stream().filter((eml) -> eml.contains("To: " + email))).as("welcome emails to " + email)
				.hasSize(1);
		}
	}

	/**
	 * An instance that dies while it leaves the registry (docker stop's SIGKILL after its
	 * grace period, an OOM kill during the drain) leaves its registration behind, marked
	 * DOWN. A new instance at the same address registers under the same instance id (on
	 * Docker, a new container often gets the IP of the one that just stopped): it must be
	 * UP and routed, not inherit the dead one's DOWN.
	 */
	@Test
	void anInstanceKilledWhileLeavingTheRegistryDoesNotKeepItsSuccessorAtTheSameAddressDown(Stack stack)
			throws Exception {
		stack.restoreOwnInstances();
		ServiceProcess leaving = stack.startAnotherUsersInstance();
		int port = leaving.port;
		String instanceId = "users-service:127.0.0.1:" + port;
		ServiceProcess successor = null;
		try {
			// SIGTERM: DOWN in the registry, then the 5 s deregistration delay, during
			// which it is killed, so that its lease is never cancelled.
			leaving.signalStop();
			stack.await(Duration.ofSeconds(20), "the leaving instance says it is DOWN in the registry",
					() -> leaving.logText().contains("Leaving the registry")
							&& "DOWN".equals(registryStatus(stack, instanceId)));
			leaving.kill();
			successor = stack.startAnotherUsersInstanceAt(port);
			stack.await(Duration.ofSeconds(30), "the registry lists the successor at " + instanceId + " UP",
					() -> "UP".equals(registryStatus(stack, instanceId)));
			ServiceProcess routed = successor;
			stack.await(Duration.ofSeconds(30), "the gateway routes to the successor", () -> routesTo(stack, routed));
		}
		finally {
			leaving.kill();
			if (successor != null) {
				successor.stop();
			}
			forgetSecondInstance(stack);
		}
	}

	/**
	 * The status that the registry gives an instance, or {@code null} if it lists none.
	 */
	private static String registryStatus(Stack stack, String instanceId) {
		HttpResponse<String> app = stack.registry("/eureka/apps/USERS-SERVICE");
		if (app.statusCode() != 200) {
			return null;
		}
		List<String> statuses = JsonPath.read(app.body(),
				"$.application.instance[?(@.instanceId == '" + instanceId + "')].status");
		return statuses.isEmpty() ? null : statuses.get(0);
	}

	/**
	 * Wait until the registry and the gateway know only the first instance: unkeyed POSTs
	 * are not retried, so later tests must not meet the stopped one.
	 */
	private static void forgetSecondInstance(Stack stack) {
		stack.await(Duration.ofSeconds(90), "the registry lists one users-service instance",
				() -> stack.registeredInstances("USERS-SERVICE").size() == 1);
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

	/**
	 * Whether a few reads through the gateway reach the given instance (its own metrics
	 * count them).
	 */
	private static boolean routesTo(Stack stack, ServiceProcess instance) {
		double before = gets(stack, instance.port);
		for (int i = 0; i < 4; i++) {
			stack.get(stack.gatewayPort, "/users/" + profile(stack));
		}
		return gets(stack, instance.port) > before;
	}

	/** GET /users requests an instance has served, from its own metrics. */
	private static double gets(Stack stack, int port) {
		return stack.prometheus(port)
			.lines()
			.filter((line) -> line.startsWith("http_server_requests_seconds_count{") && line.contains("method=\"GET\"")
					&& line.contains("uri=\"/users/{id}\""))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

	/** A user whose public profile the tests read (lists of users are for admins). */
	private static long profile(Stack stack) {
		return PROFILES.computeIfAbsent(
				stack, (s) -> ((Number) JsonPath.read(
						s.json("POST", s.gatewayPort, "/users",
								"{\"email\": \"profile-" + java.util.UUID.randomUUID() + "@example.com\"}")
							.body(),
						"$.id"))
					.longValue());
	}

}

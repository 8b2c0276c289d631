package dev.bugtracker.systemtests;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walking skeleton, used as a user would: through the gateway, against the five
 * packaged services running as separate processes.
 */
@ExtendWith(StackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonIT {

	@Test
	@Order(1)
	void registryListsEveryService(Stack stack) {
		// UP, not only registered: the services register STARTING and turn UP once warmed
		// up
		// and ready; callers skip an instance that is not UP.
		stack.await(Duration.ofSeconds(30), "every service is registered and UP", () -> {
			HttpResponse<String> apps = stack.registry("/eureka/apps");
			List<String> up = JsonPath.read(apps.body(),
					"$.applications.application[?(@.instance[0].status == 'UP')].name");
			return up.containsAll(Stack.APPLICATIONS);
		});
		assertThat(stack.send(HttpRequest.newBuilder(stack.uri(stack.registryPort, "/"))).statusCode())
			.as("the dashboard without credentials")
			.isEqualTo(401);
		HttpResponse<String> dashboard = stack.send(HttpRequest.newBuilder(stack.uri(stack.registryPort, "/"))
			.header("Authorization", Stack.REGISTRY_READER));
		assertThat(dashboard.statusCode()).isEqualTo(200);
		assertThat(dashboard.body()).contains("USERS-SERVICE", "NOTIFICATOR-SERVICE");
	}

	@Test
	@Order(2)
	void tutorialCurlRegistersUserAndWelcomeEmailIsDelivered(Stack stack) {
		String email = "someone-" + UUID.randomUUID() + "@example.com";
		// Exactly what curl -XPOST url -d '{...}' sends: JSON labelled as a form.
		HttpResponse<String> created = stack.send(HttpRequest.newBuilder(stack.uri(stack.gatewayPort, "/users/create"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(BodyPublishers.ofString("{\"email\": \"" + email.toUpperCase() + "\"}")));

		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		Integer id = JsonPath.read(created.body(), "$.id");
		assertThat(created.headers().firstValue("Location")).hasValue("/users/" + id);
		assertThat((String) JsonPath.read(created.body(), "$.email")).isEqualTo(email);

		stack.await(Duration.ofSeconds(30), "the welcome email is delivered",
				() -> stack.emailsWithKey("users:welcome:" + id).size() == 1);
		String eml = stack.emailsWithKey("users:welcome:" + id).get(0);
		assertThat(eml).contains("To: " + email, "Subject: Welcome to Bugtracker");

		// Anyone may read the new user's public profile, without the email address.
		HttpResponse<String> read = stack.get(stack.gatewayPort, "/users/" + id);
		assertThat(read.statusCode()).isEqualTo(200);
		assertThat((Integer) JsonPath.read(read.body(), "$.id")).isEqualTo(id);
		assertThat(read.body()).doesNotContain(email);
	}

	@Test
	@Order(3)
	void traceStartedAtGatewayReachesUsersAndNotificator(Stack stack) {
		String email = "traced-" + UUID.randomUUID() + "@example.com";
		HttpResponse<String> created = stack.send(HttpRequest.newBuilder(stack.uri(stack.gatewayPort, "/users"))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString("{\"email\": \"" + email + "\"}")));
		assertThat(created.statusCode()).isEqualTo(201);
		String traceId = created.headers().firstValue("X-Trace-Id").orElseThrow();
		assertThat(traceId).matches("[0-9a-f]{32}");

		stack.await(Duration.ofSeconds(30), "users-service and notificator log the gateway's trace id",
				() -> stack.users.logText().contains(traceId) && stack.notificator.logText().contains(traceId));
	}

	@Test
	@Order(4)
	void bugIsReportedThroughGateway(Stack stack) {
		HttpResponse<String> created = stack.send(HttpRequest.newBuilder(stack.uri(stack.gatewayPort, "/bugs/create"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(BodyPublishers.ofString("{\"bug\": \"Login button does nothing\"}")));

		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		Integer id = JsonPath.read(created.body(), "$.id");
		HttpResponse<String> read = stack.get(stack.gatewayPort, "/bugs/" + id);
		assertThat(read.statusCode()).isEqualTo(200);
		assertThat((String) JsonPath.read(read.body(), "$.title")).isEqualTo("Login button does nothing");
	}

	@Test
	@Order(5)
	void badInputGetsProblemNamingTheField(Stack stack) {
		HttpResponse<String> invalid = stack.send(HttpRequest.newBuilder(stack.uri(stack.gatewayPort, "/users/create"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(BodyPublishers.ofString("{\"email\": \"test\"}")));

		assertThat(invalid.statusCode()).isEqualTo(400);
		assertThat(invalid.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat((String) JsonPath.read(invalid.body(), "$.errors[0].field")).isEqualTo("email");

		HttpResponse<String> malformed = stack.send(HttpRequest.newBuilder(stack.uri(stack.gatewayPort, "/bugs/create"))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString("{\"bug\": ")));
		assertThat(malformed.statusCode()).isEqualTo(400);
		assertThat(malformed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	@Test
	@Order(6)
	void everyServiceExposesProbesAndPrometheusMetrics(Stack stack) {
		// The gateway's actuator has a port of its own, never its public one.
		for (int port : new int[] { stack.registryPort, stack.gatewayManagementPort, stack.usersPort, stack.bugsPort,
				stack.notificatorPort }) {
			assertThat(stack.get(port, "/actuator/health/liveness").statusCode()).isEqualTo(200);
			assertThat(stack.get(port, "/actuator/health/readiness").statusCode()).isEqualTo(200);
			assertThat(stack.prometheus(port)).contains("http_server_requests_seconds_count");
		}
		assertThat(stack.get(stack.gatewayPort, "/actuator/health").statusCode()).isEqualTo(404);
		String users = stack.prometheus(stack.usersPort);
		assertThat(users).contains("grpc_client_seconds_count", "resilience4j_circuitbreaker_state",
				"bugtracker_outbox_attempts_total");
		assertThat(stack.prometheus(stack.notificatorPort)).contains("grpc_server_seconds_count");
	}

	@Test
	@Order(7)
	void openApiDescriptionsOfBothServicesComeThroughTheGateway(Stack stack) {
		HttpResponse<String> users = stack.get(stack.gatewayPort, "/api-docs/users-service");
		HttpResponse<String> bugs = stack.get(stack.gatewayPort, "/api-docs/bugs-service");

		assertThat(users.statusCode()).isEqualTo(200);
		assertThat((java.util.Map<String, Object>) JsonPath.read(users.body(), "$.paths")).containsKeys("/users",
				"/users/create", "/users/{id}");
		assertThat(bugs.statusCode()).isEqualTo(200);
		assertThat((java.util.Map<String, Object>) JsonPath.read(bugs.body(), "$.paths")).containsKeys("/bugs",
				"/bugs/{id}/transitions");
	}

	@Test
	@Order(8)
	void registrationsSurviveNotificatorOutageAndEveryEmailArrivesOnce(Stack stack) throws Exception {
		stack.notificator.stop();

		List<Integer> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			HttpResponse<String> created = stack.send(HttpRequest.newBuilder(stack.uri(stack.gatewayPort, "/users"))
				.header("Content-Type", "application/json")
				.POST(BodyPublishers
					.ofString("{\"email\": \"outage-" + i + "-" + UUID.randomUUID() + "@example.com\"}")));
			assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
			ids.add(JsonPath.read(created.body(), "$.id"));
		}
		assertThat(ids).allSatisfy((id) -> assertThat(stack.emailsWithKey("users:welcome:" + id)).isEmpty());

		stack.notificator.start();
		stack.awaitReady(stack.notificator, stack.notificatorPort);

		stack.await(Duration.ofSeconds(60), "every email of the outage is delivered",
				() -> ids.stream().allMatch((id) -> !stack.emailsWithKey("users:welcome:" + id).isEmpty()));
		// Let the outbox settle so that a late duplicate would show up before counting.
		stack.await(Duration.ofSeconds(20), "the outbox is empty", () -> stack.metric(stack.usersPort,
				"bugtracker_outbox_pending{application=\"users-service\",version=\"dev\"}") == 0.0);
		assertThat(ids).allSatisfy((id) -> assertThat(stack.emailsWithKey("users:welcome:" + id)).hasSize(1));
	}

	@Test
	@Order(9)
	void writesStayFastWhileNotificatorHangsAndEveryEmailArrivesOnceWhenItResumes(Stack stack) throws Exception {
		List<Integer> ids = new ArrayList<>();
		stack.notificator.signal("STOP");
		try {
			for (int i = 0; i < 3; i++) {
				long start = System.nanoTime();
				HttpResponse<String> created = stack.send(HttpRequest.newBuilder(stack.uri(stack.gatewayPort, "/users"))
					.header("Content-Type", "application/json")
					.POST(BodyPublishers
						.ofString("{\"email\": \"hang-" + i + "-" + UUID.randomUUID() + "@example.com\"}")));
				Duration took = Duration.ofNanos(System.nanoTime() - start);
				assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
				// A registration never waits for notificator. One that did would end at
				// the
				// 3 s gRPC deadline at the earliest: the bound is the deadline, not this
				// machine's speed.
				assertThat(took).isLessThan(Duration.ofMillis(2500));
				ids.add(JsonPath.read(created.body(), "$.id"));
			}
		}
		finally {
			stack.notificator.signal("CONT");
		}
		stack.await(Duration.ofSeconds(90), "every email queued while notificator hung is delivered",
				() -> ids.stream().allMatch((id) -> !stack.emailsWithKey("users:welcome:" + id).isEmpty()));
		stack.await(Duration.ofSeconds(30), "the outbox is empty", () -> stack.metric(stack.usersPort,
				"bugtracker_outbox_pending{application=\"users-service\",version=\"dev\"}") == 0.0);
		assertThat(ids).allSatisfy((id) -> assertThat(stack.emailsWithKey("users:welcome:" + id)).hasSize(1));
	}

}

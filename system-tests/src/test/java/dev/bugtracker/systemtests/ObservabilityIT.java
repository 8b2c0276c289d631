package dev.bugtracker.systemtests;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.jayway.jsonpath.JsonPath;
import jakarta.mail.MessagingException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alerting for real: Prometheus discovers the running stack through the registry and
 * evaluates the repository's alert rules (their durations shortened by configuration),
 * Alertmanager routes what fires and sends it by SMTP. Stopping notificator while users
 * keep registering must fire the outbox alert and the missing-instance alert, reach
 * Alertmanager and an inbox, and resolve once notificator is back.
 */
@ExtendWith(StackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityIT {

	private static Observability observability;

	@BeforeAll
	static void startPrometheusAndAlertmanager(Stack stack) throws Exception {
		Observability.assumeInstalled();
		observability = new Observability(stack, "--rule-for", "5s", "--set",
				"bugtracker:outbox_oldest_age_limit_seconds=10");
		stack.await(Duration.ofSeconds(60), "Prometheus scrapes every service, found through the registry",
				() -> observability.query("count by (application) (up{job=\"bugtracker\"} == 1)").size() == 4
						&& !observability.query("up{job=\"registry\"} == 1").isEmpty());
	}

	@AfterAll
	static void stopPrometheusAndAlertmanager() {
		if (observability != null) {
			observability.close();
		}
	}

	@Test
	@Order(1)
	void everyDashboardPanelsQueryReturnsDataFromTheRunningStack(Stack stack) throws Exception {
		// A little of everything the dashboards show, twice: a counter that Prometheus
		// first sees at 1 never rises in its eyes, so rate() needs traffic after a
		// scrape.
		traffic(stack);
		stack.await(Duration.ofSeconds(30), "Prometheus has scraped the first round",
				() -> !observability.query("bugtracker_bugs_reopened_total{application=\"bugs-service\"} > 0")
					.isEmpty());
		traffic(stack);

		Path dashboards = Path.of(System.getProperty("bugtracker.root", ".."))
			.resolve("deployments/observability/grafana/dashboards");
		Map<String, String> queries = new java.util.TreeMap<>();
		try (var files = Files.list(dashboards)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".json")).sorted().toList()) {
				String json = Files.readString(file);
				List<String> titles = JsonPath.read(json, "$.panels[*].title");
				for (String title : titles) {
					List<String> exprs = JsonPath.read(json,
							"$.panels[?(@.title == '" + title.replace("'", "\\'") + "')].targets[*].expr");
					for (String expr : exprs) {
						// The service dashboard shows one service at a time: check it
						// with the
						// two that have every panel (database, outbox, gRPC).
						for (String application : expr.contains("$application")
								? List.of("users-service", "bugs-service") : List.of("")) {
							queries.put(
									file.getFileName() + " / " + title
											+ (application.isEmpty() ? "" : " / " + application) + ": " + expr,
									expr.replace("$__rate_interval", "5m").replace("$application", application));
						}
					}
				}
			}
		}
		assertThat(queries).as("panel queries").hasSizeGreaterThan(20);
		// Counters need two scrapes inside a window before rate() and increase() see
		// them.
		try {
			stack.await(Duration.ofSeconds(60), "every panel's query returns data",
					() -> panelsWithoutData(queries).isEmpty());
		}
		catch (AssertionError timeout) {
			// Named panel by panel below.
		}
		List<String> empty = panelsWithoutData(queries);
		assertThat(empty).as("panels without data (an empty result, or only NaN)").isEmpty();
	}

	/**
	 * Sign-ups and logins, a failed login and a refused token, a bug reported, assigned,
	 * resolved and reopened, a 404.
	 */
	private static void traffic(Stack stack) {
		Stack.Account reporter = stack.signUp("dashboards-" + UUID.randomUUID() + "@example.com");
		Stack.Account assignee = stack.signUp("dashboards-" + UUID.randomUUID() + "@example.com");
		String wrongPassword = "Basic " + java.util.Base64.getEncoder()
			.encodeToString((reporter.email() + ":wrong").getBytes(java.nio.charset.StandardCharsets.UTF_8));
		assertThat(stack.json("GET", stack.gatewayPort, "/users/me", null, "Authorization", wrongPassword).statusCode())
			.isEqualTo(401);
		assertThat(stack.json("GET", stack.gatewayPort, "/bugs/1", null, "Authorization", "Bearer not-a-token")
			.statusCode()).isEqualTo(401);
		HttpResponse<String> bug = stack.json("POST", stack.gatewayPort, "/bugs",
				"{\"title\": \"Charted\", \"severity\": \"MAJOR\", \"assigneeId\": " + assignee.id() + "}",
				"Authorization", reporter.bearer());
		assertThat(bug.statusCode()).as(bug.body()).isEqualTo(201);
		long id = ((Number) JsonPath.read(bug.body(), "$.id")).longValue();
		for (String move : List.of("{\"to\": \"IN_PROGRESS\"}", "{\"to\": \"RESOLVED\", \"resolution\": \"FIXED\"}",
				"{\"to\": \"REOPENED\"}")) {
			HttpResponse<String> moved = stack.json("POST", stack.gatewayPort, "/bugs/" + id + "/transitions", move,
					"Authorization", reporter.bearer());
			assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
		}
		assertThat(stack.json("GET", stack.gatewayPort, "/bugs/987654321", null, "Authorization", reporter.bearer())
			.statusCode()).isEqualTo(404);
	}

	/**
	 * @return the panels whose query returns nothing, or only NaN (nothing to draw)
	 */
	private static List<String> panelsWithoutData(Map<String, String> queries) {
		List<String> empty = new ArrayList<>();
		queries.forEach((panel, promql) -> {
			if (observability.query(promql).stream().allMatch((sample) -> "NaN".equals(sample.get("value")))) {
				empty.add(panel);
			}
		});
		return empty;
	}

	@Test
	@Order(2)
	void notificatorStoppingFiresTheOutboxAndInstanceAlertsWhichResolveWhenItReturns(Stack stack) throws Exception {
		assertThat(observability.firing("notificator-service")).doesNotContain("ServiceInstancesMissing");
		assertThat(observability.firing("users-service")).doesNotContain("OutboxOldestEntryTooOld");

		List<Integer> registered = new java.util.concurrent.CopyOnWriteArrayList<>();
		AtomicBoolean registering = new AtomicBoolean(true);
		ExecutorService clients = Executors.newFixedThreadPool(8);
		List<Future<?>> running = new ArrayList<>();
		try {
			stack.notificator.stop();
			for (int i = 0; i < 8; i++) {
				running.add(clients.submit(() -> {
					while (registering.get()) {
						registered.add(register(stack));
						Thread.sleep(250);
					}
					return null;
				}));
			}
			awaitAlerts(stack, Duration.ofSeconds(90), "the outbox and instance alerts fire in Prometheus",
					() -> observability.firing("users-service").contains("OutboxOldestEntryTooOld")
							&& observability.firing("notificator-service").contains("ServiceInstancesMissing"));
			stack.await(Duration.ofSeconds(30), "they reach Alertmanager",
					() -> observability.alertmanagerActive("users-service").contains("OutboxOldestEntryTooOld")
							&& observability.alertmanagerActive("notificator-service")
								.contains("ServiceInstancesMissing"));
			stack.await(Duration.ofSeconds(30), "Alertmanager pages the on-call address by email",
					() -> emailed(observability, "on-call@", "[FIRING", "OutboxOldestEntryTooOld")
							&& emailed(observability, "on-call@", "[FIRING", "ServiceInstancesMissing"));
		}
		finally {
			registering.set(false);
			for (Future<?> client : running) {
				client.get(30, TimeUnit.SECONDS);
			}
			clients.shutdownNow();
			if (!stack.notificator.isAlive()) {
				stack.notificator.start();
			}
			stack.awaitReady(stack.notificator, stack.notificatorPort);
		}

		awaitAlerts(stack, Duration.ofSeconds(90), "both alerts resolve in Prometheus",
				() -> !observability.firing("users-service").contains("OutboxOldestEntryTooOld")
						&& !observability.firing("notificator-service").contains("ServiceInstancesMissing"));
		stack.await(Duration.ofSeconds(30), "Alertmanager sends the resolution",
				() -> emailed(observability, "on-call@", "[RESOLVED", "OutboxOldestEntryTooOld"));
		// Nothing accepted during the outage was lost.
		assertThat(registered).hasSizeGreaterThan(8);
		stack.await(Duration.ofSeconds(60), "every welcome email of the outage is delivered",
				() -> registered.stream().allMatch((id) -> !stack.emailsWithKey("users:welcome:" + id).isEmpty()));
	}

	/** A wait on Prometheus' alerts whose failure says which alerts there were. */
	private static void awaitAlerts(Stack stack, Duration timeout, String what,
			java.util.concurrent.Callable<Boolean> condition) {
		try {
			stack.await(timeout, what, condition);
		}
		catch (AssertionError ex) {
			throw new AssertionError("Timed out waiting until " + what + "; Prometheus' alerts then: "
					+ observability.alertsNow() + "; " + ex.getMessage(), ex);
		}
	}

	private static int register(Stack stack) {
		HttpResponse<String> created = stack.send(HttpRequest.newBuilder(stack.uri(stack.gatewayPort, "/users"))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString("{\"email\": \"alerting-" + UUID.randomUUID() + "@example.com\"}")));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return JsonPath.read(created.body(), "$.id");
	}

	private static boolean emailed(Observability observability, String to, String status, String alert) {
		return Arrays.stream(observability.emails()).anyMatch((email) -> {
			try {
				return Arrays.toString(email.getAllRecipients()).contains(to) && email.getSubject().startsWith(status)
						&& email.getSubject().contains(alert);
			}
			catch (MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

}

package dev.bugtracker.systemtests;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.jayway.jsonpath.JsonPath;
import jakarta.mail.MessagingException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
class ObservabilityIT {

	@BeforeAll
	static void tools() {
		Observability.assumeInstalled();
	}

	@Test
	void notificatorStoppingFiresTheOutboxAndInstanceAlertsWhichResolveWhenItReturns(Stack stack) throws Exception {
		try (Observability observability = new Observability(stack, "--rule-for", "5s", "--set",
				"bugtracker:outbox_oldest_age_limit_seconds=10")) {
			stack.await(Duration.ofSeconds(60), "Prometheus scrapes every service, found through the registry",
					() -> observability.query("count by (application) (up{job=\"bugtracker\"} == 1)").size() == 4
							&& !observability.query("up{job=\"registry\"} == 1").isEmpty());
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
				stack.await(Duration.ofSeconds(90), "the outbox and instance alerts fire in Prometheus",
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

			stack.await(Duration.ofSeconds(90), "both alerts resolve in Prometheus",
					() -> !observability.firing("users-service").contains("OutboxOldestEntryTooOld")
							&& !observability.firing("notificator-service").contains("ServiceInstancesMissing"));
			stack.await(Duration.ofSeconds(30), "Alertmanager sends the resolution",
					() -> emailed(observability, "on-call@", "[RESOLVED", "OutboxOldestEntryTooOld"));
			// Nothing accepted during the outage was lost.
			assertThat(registered).hasSizeGreaterThan(8);
			stack.await(Duration.ofSeconds(60), "every welcome email of the outage is delivered",
					() -> registered.stream().allMatch((id) -> !stack.emailsWithKey("users:welcome:" + id).isEmpty()));
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

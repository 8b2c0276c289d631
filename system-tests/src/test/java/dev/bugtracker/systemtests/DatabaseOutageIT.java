package dev.bugtracker.systemtests;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The services' PostgreSQL stopped and started again under concurrent load: meanwhile
 * every answer is a success or a 503 problem with {@code Retry-After} (never a 500, never
 * a hang), nothing accepted is lost, the outbox resumes by itself, and every service
 * serves again within seconds of the database's return, without a restart.
 */
@ExtendWith(StackExtension.class)
class DatabaseOutageIT {

	@Test
	void aDatabaseRestartUnderLoadAnswers503MeanwhileAndLosesNothing(Stack stack) throws Exception {
		URI gateway = stack.uri(stack.gatewayPort, "/");
		List<String> accepted = new CopyOnWriteArrayList<>();
		List<String> wrong = new CopyOnWriteArrayList<>();
		AtomicLong unavailable = new AtomicLong();
		AtomicLong slowestMillis = new AtomicLong();
		Load load = new Load(8, (client, http) -> {
			String email = "outage-" + UUID.randomUUID() + "@example.com";
			HttpRequest request = (client % 2 == 0)
					? HttpRequest.newBuilder(gateway.resolve("/users"))
						.timeout(Duration.ofSeconds(30))
						.header("Content-Type", "application/json")
						.header("Idempotency-Key", UUID.randomUUID().toString())
						.POST(BodyPublishers.ofString("{\"email\": \"" + email + "\"}"))
						.build()
					: HttpRequest.newBuilder(gateway.resolve("/bugs?size=5")).timeout(Duration.ofSeconds(30)).build();
			long start = System.nanoTime();
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			slowestMillis.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
			int status = response.statusCode();
			if (status == 201) {
				accepted.add(email);
			}
			else if (status == 503 && response.headers().firstValue("Retry-After").isPresent()
					&& response.headers()
						.firstValue("Content-Type")
						.orElse("")
						.startsWith("application/problem+json")) {
				unavailable.incrementAndGet();
			}
			else if (status != 200) {
				wrong.add(status + " " + request.method() + " " + request.uri().getPath() + " "
						+ response.headers().map() + " " + response.body());
			}
			return List.of();
		});
		Duration recovery;
		try {
			stack.await(Duration.ofSeconds(30), "registrations go through", () -> accepted.size() >= 20);
			stack.stopDatabase();
			int acceptedBefore = accepted.size();
			load.keepGoingFor(Duration.ofSeconds(10));
			assertThat(unavailable.get()).as("requests answered 503 while the database was away").isPositive();
			stack.startDatabase();
			long back = System.nanoTime();
			stack.await(Duration.ofSeconds(60), "registrations go through again",
					() -> accepted.size() >= acceptedBefore + 20);
			recovery = Duration.ofNanos(System.nanoTime() - back);
			load.keepGoingFor(Duration.ofSeconds(3));
		}
		finally {
			load.close();
		}
		System.out.println("Database restart: " + accepted.size() + " registrations accepted, " + unavailable.get()
				+ " answered 503, serving again " + recovery.toMillis()
				+ " ms after the database was back, slowest answer " + slowestMillis.get() + " ms; " + load.summary());
		assertThat(wrong).as("answers other than 200, 201 or 503 problem with Retry-After").isEmpty();
		assertThat(load.failures()).isEmpty();
		assertThat(load.cutOff()).isEmpty();
		assertThat(slowestMillis.get())
			.as("slowest answer, ms: within the pool's 2 s wait and the gateway's 10 s limit")
			.isLessThan(10_000);
		assertThat(recovery).as("time to serve writes again after the database's return")
			.isLessThan(Duration.ofSeconds(20));
		String admin = stack.admin().bearer();
		for (String email : accepted) {
			HttpResponse<String> found = stack
				.send(java.net.http.HttpRequest.newBuilder(stack.uri(stack.gatewayPort, "/users?email=" + email))
					.header("Authorization", admin));
			assertThat((Integer) JsonPath.read(found.body(), "$.page.totalElements")).as(email).isEqualTo(1);
		}
		stack.await(Duration.ofSeconds(60), "the outbox delivers every accepted registration's welcome email", () -> {
			var mailbox = stack.mailbox();
			return accepted.stream()
				.allMatch((email) -> mailbox.values().stream().anyMatch((eml) -> eml.contains("To: " + email)));
		});
	}

}

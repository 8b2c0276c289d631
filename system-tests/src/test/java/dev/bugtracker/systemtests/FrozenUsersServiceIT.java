package dev.bugtracker.systemtests;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * users-service frozen with SIGSTOP, as a hung process would be: it accepts connections
 * and never answers. bugs-service looks users up before it opens a transaction, so writes
 * waiting on users-service hold no database connection: reads of bugs keep their pace,
 * and writes that need users-service get a fast 503 with {@code Retry-After}.
 */
@ExtendWith(StackExtension.class)
class FrozenUsersServiceIT {

	@Test
	void whileUsersServiceIsFrozenBugReadsKeepTheirPaceAndWritesGetAFast503(Stack stack) throws Exception {
		URI gateway = stack.uri(stack.gatewayPort, "/");
		Stack.Account reporter = stack.signUp("frozen-" + System.nanoTime() + "@example.com");
		// Also has the gateway exchange the reporter's token, which it keeps for 30 s:
		// the writes below reach bugs-service, which then waits on users-service.
		HttpResponse<String> bug = stack.json("POST", stack.gatewayPort, "/bugs", "{\"title\": \"Frozen\"}",
				"Authorization", reporter.bearer());
		long bugId = ((Number) JsonPath.read(bug.body(), "$.id")).longValue();

		List<String> wrongReads = new CopyOnWriteArrayList<>();
		List<String> wrongWrites = new CopyOnWriteArrayList<>();
		AtomicLong slowestRead = new AtomicLong();
		AtomicLong slowestWrite = new AtomicLong();
		AtomicInteger refusedWrites = new AtomicInteger();
		AtomicInteger nextUser = new AtomicInteger(900_000);
		stack.users.signal("STOP");
		Load load;
		try {
			// 16 writers naming users that bugs-service has never looked up, and 8
			// readers.
			load = new Load(24, (client, http) -> {
				long start = System.nanoTime();
				if (client < 16) {
					HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway.resolve("/bugs"))
						.timeout(Duration.ofSeconds(30))
						.header("Content-Type", "application/json")
						.header("Authorization", reporter.bearer())
						.POST(BodyPublishers.ofString(
								"{\"title\": \"Needs users\", \"assigneeId\": " + nextUser.incrementAndGet() + "}"))
						.build(), HttpResponse.BodyHandlers.ofString());
					slowestWrite.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
					if (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent()) {
						refusedWrites.incrementAndGet();
					}
					else {
						wrongWrites.add(response.statusCode() + " " + response.body());
					}
					return List.of();
				}
				String path = (client % 2 == 0) ? "/bugs/" + bugId : "/bugs?size=5";
				HttpResponse<String> response = http.send(
						HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
						HttpResponse.BodyHandlers.ofString());
				slowestRead.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
				if (response.statusCode() != 200) {
					wrongReads.add(response.statusCode() + " " + path + " " + response.body());
				}
				return List.of(response);
			});
			try {
				load.keepGoingFor(Duration.ofSeconds(10));
			}
			finally {
				load.close();
			}
		}
		finally {
			stack.users.signal("CONT");
		}
		System.out.println("users-service frozen: " + load.summary() + "; " + refusedWrites.get()
				+ " writes refused, slowest read " + slowestRead.get() + " ms, slowest write " + slowestWrite.get()
				+ " ms");
		assertThat(wrongReads).as("reads that did not get 200").isEmpty();
		assertThat(load.succeeded()).as("reads answered").isGreaterThan(100);
		assertThat(slowestRead.get()).as("slowest read, ms (a wait for a pool connection would take 2 s)")
			.isLessThan(1500);
		assertThat(wrongWrites).as("writes not refused with 503 and Retry-After").isEmpty();
		assertThat(refusedWrites.get()).isGreaterThan(16);
		assertThat(slowestWrite.get()).as("slowest refusal, ms: the 3.5 s time limit, then the open breaker")
			.isLessThan(5000);
		// Until bugs-service's breaker is closed again, not only half open: a half-open
		// breaker lets three calls through and refuses the others, which the next test's
		// concurrent clients would meet.
		stack.await(Duration.ofSeconds(60), "bugs naming a new user can be reported again", () -> {
			HttpResponse<String> another = stack.json("POST", stack.gatewayPort, "/users",
					"{\"email\": \"thawed-" + System.nanoTime() + "@example.com\"}");
			return another.statusCode() == 201
					&& stack
						.json("POST", stack.gatewayPort, "/bugs",
								"{\"title\": \"Thawed\", \"assigneeId\": " + JsonPath.read(another.body(), "$.id")
										+ "}",
								"Authorization", reporter.bearer())
						.statusCode() == 201
					&& stack.breakerClosed(stack.bugsPort, "users");
		});
	}

}

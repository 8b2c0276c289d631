package dev.bugtracker.systemtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrent clients through the gateway while one of two instances of a service is
 * killed with SIGKILL: no client sees the dead instance, at any hop (gateway to users- or
 * bugs-service, bugs-service to users-service over Feign, users-service to notificator
 * over gRPC). Successes and failures are counted by the clients; the split of the load is
 * read from each instance's own metrics.
 */
@ExtendWith(StackExtension.class)
class KillUnderLoadIT {

	private static final int[] CLIENTS = { 8, 32, 64 };

	private static final Duration BEFORE_KILL = Duration.ofSeconds(5);

	private static final Duration AFTER_KILL = Duration.ofSeconds(15);

	/**
	 * An answer that the killed instance was streaming when it died is cut off: the
	 * gateway has already passed its status and headers on, so it cannot retry it. That
	 * takes a kill at the wrong millisecond, so a run sees at most a few.
	 */
	private static final int MAX_CUT_OFF = 3;

	@Test
	void aUsersServiceInstanceKilledUnderLoadFailsNoReadNoKeyedWriteAndNoFeignLookup(Stack stack) throws Exception {
		stack.restoreOwnInstances();
		URI gateway = stack.uri(stack.gatewayPort, "/");
		long reader = id(stack.json("POST", stack.gatewayPort, "/users", "{\"email\": \"" + unique("reader") + "\"}"));
		// Reports with a personal access token: the gateway exchanges it at users-service
		// again every 30 s, killed instance or not.
		Stack.Account reporter = stack.signUp(unique("reporter"));
		ServiceProcess second = stack.startAnotherUsersInstance();
		try {
			for (int clients : CLIENTS) {
				awaitServing(stack, second, "/users/" + reader, "/users/{id}");
				double first0 = served(stack, stack.usersPort, "/users/{id}");
				double second0 = served(stack, second.port, "/users/{id}");
				Load load = new Load(clients, (client, http) -> switch (client % 4) {
					case 0, 1 -> List.of(send(http, get(gateway, "/users/" + reader)));
					case 2 -> List.of(send(http, keyedPost(gateway, "/users", registration())));
					default -> withBugOfNewUser(http, gateway, reporter);
				});
				killUnderLoad(stack, "users-service", clients, load, second, clients != lastRound(), () -> {
					double toFirst = served(stack, stack.usersPort, "/users/{id}") - first0;
					double toSecond = served(stack, second.port, "/users/{id}") - second0;
					assertThat(toFirst).as("%d clients: lookups served by the first instance", clients)
						.isGreaterThan(0.2 * (toFirst + toSecond));
					assertThat(toSecond).as("%d clients: lookups served by the second instance", clients)
						.isGreaterThan(0.2 * (toFirst + toSecond));
				});
			}
		}
		finally {
			second.stop();
			forgetExtraInstance(stack, "USERS-SERVICE");
		}
	}

	@Test
	void aBugsServiceInstanceKilledUnderLoadFailsNoReadAndNoKeyedWrite(Stack stack) throws Exception {
		stack.restoreOwnInstances();
		URI gateway = stack.uri(stack.gatewayPort, "/");
		Stack.Account reporter = stack.signUp(unique("reporter"));
		long bug = id(
				stack.json("POST", stack.gatewayPort, "/bugs", bug(reporter.id()), "Authorization", reporter.bearer()));
		ServiceProcess second = stack.startAnotherBugsInstance();
		try {
			for (int clients : CLIENTS) {
				awaitServing(stack, second, "/bugs/" + bug, "/bugs/{id}");
				List<Keyed> keyed = new CopyOnWriteArrayList<>();
				Load load = new Load(clients, (client, http) -> switch (client % 4) {
					case 0 -> List.of(send(http, get(gateway, "/bugs/" + bug)));
					case 1 -> List.of(send(http, get(gateway, "/bugs?status=OPEN&size=5")));
					default -> List.of(reportRemembered(http, gateway, reporter, keyed));
				});
				long killedAt = killUnderLoad(stack, "bugs-service", clients, load, second, clients != lastRound(),
						() -> {
						});
				assertRepeatsGetTheFirstAnswerAndCreateNothing(stack, keyed, killedAt);
			}
		}
		finally {
			second.stop();
			forgetExtraInstance(stack, "BUGS-SERVICE");
		}
	}

	@Test
	void aNotificatorInstanceKilledDuringABurstOfRegistrationsSendsEveryEmailExactlyOnce(Stack stack) throws Exception {
		stack.restoreOwnInstances();
		URI gateway = stack.uri(stack.gatewayPort, "/");
		ServiceProcess second = stack.startAnotherNotificatorInstance();
		List<String> registered = new CopyOnWriteArrayList<>();
		try {
			awaitDeliveredBy(stack, second);
			// A burst of 300 registrations from 16 clients; one notificator dies after
			// the
			// first 60.
			Load load = new Load(16, 300, (client, http) -> {
				String email = unique("burst");
				HttpResponse<String> created = send(http,
						keyedPost(gateway, "/users", "{\"email\": \"" + email + "\"}"));
				if (created.statusCode() == 201) {
					registered.add(email);
				}
				return List.of(created);
			});
			String summary;
			try {
				stack.await(Duration.ofSeconds(30), "60 registrations", () -> registered.size() >= 60);
				second.kill();
				load.awaitFinished(Duration.ofSeconds(60));
			}
			finally {
				load.close();
				summary = load.summary();
			}
			System.out.println("notificator instance killed during registrations: " + summary);
			assertThat(load.failures()).as(summary).isEmpty();
			assertThat(registered).hasSizeGreaterThan(50);
			// Within a few seconds of the last registration (the outbox retries after
			// 1 s, then backs off up to 2 s here).
			stack.await(Duration.ofSeconds(15), "every welcome email is delivered", () -> {
				Map<String, String> mailbox = stack.mailbox();
				return registered.stream()
					.allMatch((email) -> mailbox.values().stream().anyMatch((eml) -> eml.contains("To: " + email)));
			});
			Map<String, String> mailbox = stack.mailbox();
			List<String> notOnce = new ArrayList<>();
			for (String email : registered) {
				long count = mailbox.values().stream().filter((eml) -> eml.contains("To: " + email)).count();
				if (count != 1) {
					notOnce.add(email + ": " + count);
				}
			}
			assertThat(notOnce).as("addresses that did not get exactly one welcome email").isEmpty();
		}
		finally {
			second.stop();
			forgetExtraInstance(stack, "NOTIFICATOR-SERVICE");
		}
	}

	private static int lastRound() {
		return CLIENTS[CLIENTS.length - 1];
	}

	/**
	 * Keeps the load on, checks {@code beforeKill}, kills the instance with SIGKILL,
	 * keeps the load on, then checks what the clients saw (no failed request, and at most
	 * a few answers cut off) and starts the instance again for the next round. After the
	 * last round the dead instance is not started again but taken out of the registry, as
	 * an operator would, instead of waiting for its lease to run out.
	 * @return when the instance was killed ({@link System#nanoTime()})
	 */
	private static long killUnderLoad(Stack stack, String service, int clients, Load load, ServiceProcess instance,
			boolean restart, Runnable beforeKill) throws Exception {
		long killedAt;
		int bugsLogMark = stack.bugs.logText().length();
		int usersLogMark = stack.users.logText().length();
		int gatewayLogMark = stack.gateway.logText().length();
		try {
			load.keepGoingFor(BEFORE_KILL);
			beforeKill.run();
			killedAt = System.nanoTime();
			instance.kill();
			load.keepGoingFor(AFTER_KILL);
		}
		finally {
			load.close();
		}
		String summary = load.summary();
		System.out.println(service + " instance killed under " + clients + " clients: " + summary);
		assertThat(load.succeeded()).as("%d clients: %s", clients, summary).isGreaterThan(100);
		// The failed requests first, each on one line, then why (the services' warnings):
		// a build's summary shows the first lines of the message only.
		assertThat(load.failures())
			.as("%d clients: %s; failed: %s%nwarnings of the gateway:%n%s%nof bugs-service:%n%s%nof users-service:%n%s",
					clients, summary, load.failuresInBrief(), warnings(stack.gateway, gatewayLogMark),
					warnings(stack.bugs, bugsLogMark), warnings(stack.users, usersLogMark))
			.isEmpty();
		assertThat(load.cutOff()).as("%d clients: answers cut off by the crash (see docs/operations.md)", clients)
			.hasSizeLessThanOrEqualTo(MAX_CUT_OFF);
		if (restart) {
			instance.start();
			stack.awaitReady(instance, instance.port);
		}
		else {
			stack.deregister(service.toUpperCase(java.util.Locale.ROOT), instance.port);
		}
		return killedAt;
	}

	/**
	 * The warnings and errors that a service logged after the mark (a length of its log),
	 * for the message of a failed check: the clients see a status, the log says why (the
	 * expected ejections of the killed instance, and reactor-netty's note on each
	 * connection that the kill broke, left out).
	 */
	private static String warnings(ServiceProcess service, int mark) {
		String log = service.logText();
		return log.substring(Math.min(mark, log.length()))
			.lines()
			.filter((line) -> (line.contains(" WARN ") || line.contains(" ERROR ")) && !line.contains("OutlierDetector")
					&& !line.contains("The connection observed an error"))
			.limit(20)
			.map((line) -> (line.length() > 600) ? line.substring(0, 600) + "..." : line)
			.collect(Collectors.joining(System.lineSeparator()));
	}

	/**
	 * A keyed report of a bug whose title carries a token of its own, remembered with its
	 * answer.
	 */
	private static HttpResponse<String> reportRemembered(HttpClient http, URI gateway, Stack.Account reporter,
			List<Keyed> keyed) throws Exception {
		String token = UUID.randomUUID().toString();
		String key = UUID.randomUUID().toString();
		String body = "{\"title\": \"Crashes under load " + token + "\", \"reporterId\": " + reporter.id() + "}";
		HttpResponse<String> response = send(http,
				HttpRequest.newBuilder(gateway.resolve("/bugs"))
					.timeout(Duration.ofSeconds(20))
					.header("Content-Type", "application/json")
					.header("Authorization", reporter.bearer())
					.header("Idempotency-Key", key)
					.POST(BodyPublishers.ofString(body))
					.build());
		if (response.statusCode() == 201) {
			keyed.add(new Keyed(key, token, body, reporter.bearer(), response.body(), System.nanoTime()));
		}
		return response;
	}

	/**
	 * Repeat every keyed report answered around the kill (those most likely to have been
	 * in flight on the dying instance, or retried on the other): each repeat gets the
	 * first answer, and each key made exactly one bug.
	 */
	private static void assertRepeatsGetTheFirstAnswerAndCreateNothing(Stack stack, List<Keyed> keyed, long killedAt) {
		List<Keyed> aroundTheKill = keyed.stream()
			.filter((report) -> Math.abs(report.answeredAt() - killedAt) < Duration.ofSeconds(3).toNanos())
			.limit(300)
			.toList();
		assertThat(aroundTheKill).as("keyed reports answered around the kill").isNotEmpty();
		List<String> wrong = new ArrayList<>();
		for (Keyed report : aroundTheKill) {
			HttpResponse<String> repeat = stack.json("POST", stack.gatewayPort, "/bugs", report.body(),
					"Idempotency-Key", report.key(), "Authorization", report.authorization());
			if (repeat.statusCode() != 201 || !repeat.body().equals(report.answer())
					|| !"true".equals(repeat.headers().firstValue("Idempotent-Replayed").orElse(null))) {
				wrong.add(report.key() + ": repeat got " + repeat.statusCode() + " " + repeat.body());
			}
			HttpResponse<String> found = stack.get(stack.gatewayPort, "/bugs?q=" + report.token());
			int bugs = JsonPath.read(found.body(), "$.page.totalElements");
			if (bugs != 1) {
				wrong.add(report.key() + ": " + bugs + " bugs");
			}
		}
		assertThat(wrong).as("repeats of %d keyed reports answered around the kill", aroundTheKill.size()).isEmpty();
	}

	private record Keyed(String key, String token, String body, String authorization, String answer, long answeredAt) {
	}

	/**
	 * A new user, then a bug assigned to them: bugs-service has never seen them, so it
	 * looks them up in users-service over Feign.
	 */
	private static List<HttpResponse<String>> withBugOfNewUser(HttpClient http, URI gateway, Stack.Account reporter)
			throws Exception {
		HttpResponse<String> user = send(http, keyedPost(gateway, "/users", registration()));
		if (user.statusCode() != 201) {
			return List.of(user);
		}
		String body = "{\"title\": \"Crashes under load\", \"assigneeId\": " + id(user) + "}";
		return List.of(user,
				send(http,
						HttpRequest.newBuilder(gateway.resolve("/bugs"))
							.timeout(Duration.ofSeconds(20))
							.header("Content-Type", "application/json")
							.header("Authorization", reporter.bearer())
							.header("Idempotency-Key", UUID.randomUUID().toString())
							.POST(BodyPublishers.ofString(body))
							.build()));
	}

	private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws Exception {
		return http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest get(URI gateway, String path) {
		return HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(20)).GET().build();
	}

	private static HttpRequest keyedPost(URI gateway, String path, String body) {
		return HttpRequest.newBuilder(gateway.resolve(path))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.POST(BodyPublishers.ofString(body))
			.build();
	}

	private static String registration() {
		return "{\"email\": \"" + unique("load") + "\"}";
	}

	private static String bug(long reporter) {
		return "{\"title\": \"Crashes under load\", \"reporterId\": " + reporter + "}";
	}

	private static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID() + "@example.com";
	}

	private static long id(HttpResponse<String> created) {
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return ((Number) JsonPath.read(created.body(), "$.id")).longValue();
	}

	/** Wait until the gateway sends requests to the given instance (again). */
	private static void awaitServing(Stack stack, ServiceProcess instance, String path, String uriTemplate) {
		stack.await(Duration.ofSeconds(60), instance.name() + " serves " + path + " through the gateway", () -> {
			double before = served(stack, instance.port, uriTemplate);
			for (int i = 0; i < 6; i++) {
				stack.get(stack.gatewayPort, path);
			}
			return served(stack, instance.port, uriTemplate) > before;
		});
	}

	/** Wait until the extra notificator has sent at least one email. */
	private static void awaitDeliveredBy(Stack stack, ServiceProcess notificator) {
		stack.await(Duration.ofSeconds(60), notificator.name() + " delivers emails", () -> {
			for (int i = 0; i < 4; i++) {
				stack.json("POST", stack.gatewayPort, "/users", "{\"email\": \"" + unique("warm") + "\"}");
			}
			return notificator.logText().contains("Sent notification");
		});
	}

	/** GET requests an instance has served for one URI template, from its own metrics. */
	private static double served(Stack stack, int port, String uriTemplate) {
		return stack.prometheus(port)
			.lines()
			.filter((line) -> line.startsWith("http_server_requests_seconds_count{") && line.contains("method=\"GET\"")
					&& line.contains("uri=\"" + uriTemplate + "\""))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

	/**
	 * Wait until the registry lists only the stack's own instance of a service, so that
	 * later tests do not meet the extra one.
	 */
	private static void forgetExtraInstance(Stack stack, String application) {
		stack.await(Duration.ofSeconds(90), "the registry lists one " + application + " instance",
				() -> stack.registeredInstances(application).size() == 1);
	}

}

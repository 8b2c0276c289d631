package dev.bugtracker.systemtests;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The services' JSON logs, as an operator uses them: every line is a JSON object with the
 * service, its instance, the trace and the acting user; one request's lines across
 * services are found with the {@code X-Trace-Id} it answered with, by
 * {@code scripts/local.sh logs}, merged in time order.
 */
@ExtendWith(StackExtension.class)
class StructuredLogsIT {

	@Test
	void aSignUpIsFollowedFromItsTraceIdThroughUsersServiceTheOutboxAndNotificator(Stack stack) throws Exception {
		String email = "logged-" + UUID.randomUUID() + "@example.com";
		HttpResponse<String> created = stack.json("POST", stack.gatewayPort, "/users",
				"{\"email\": \"" + email + "\"}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String traceId = created.headers().firstValue("X-Trace-Id").orElseThrow();
		int id = JsonPath.read(created.body(), "$.id");

		// notificator logs the delivery, then the relay logs that notificator took it.
		stack.await(Duration.ofSeconds(30), "notificator and the outbox relay log the email under its trace",
				() -> !linesOf(stack.notificator.jsonLog(), traceId).isEmpty()
						&& linesOf(stack.users.jsonLog(), traceId).stream()
							.anyMatch((line) -> String.valueOf(line.get("message"))
								.startsWith("Delivered email users:welcome:" + id)));
		int notificator = linesOf(stack.notificator.jsonLog(), traceId).size();
		List<Map<String, Object>> users = linesOf(stack.users.jsonLog(), traceId);
		assertThat(users).extracting((line) -> (String) line.get("message"))
			.anySatisfy((message) -> assertThat(message).startsWith("Registered user " + id))
			.anySatisfy((message) -> assertThat(message).startsWith("Delivered email users:welcome:" + id));
		assertThat(users).allSatisfy((line) -> {
			assertThat(JsonPath.<String>read(line, "$.service.name")).isEqualTo("users-service");
			assertThat(JsonPath.<String>read(line, "$.service.node.name"))
				.isEqualTo("users-service:127.0.0.1:" + stack.usersPort);
			assertThat(JsonPath.<String>read(line, "$.log.level")).isEqualTo("INFO");
		});

		String merged = logs(stack, "--trace", traceId);
		List<String> lines = merged.lines().toList();
		assertThat(lines).hasSize(users.size() + notificator);
		// The request's own lines (the audit entry, the registration) come first, the
		// delivery's after them.
		assertThat(lines.get(0)).contains("users-service:127.0.0.1:" + stack.usersPort);
		assertThat(lines).anySatisfy((line) -> assertThat(line).contains("Registered user " + id));
		assertThat(merged).contains("notificator-service", "Sent notification");
		assertThat(lines).allSatisfy((line) -> assertThat(line).endsWith("trace=" + traceId));
		assertThat(lines).isSortedAccordingTo((a, b) -> a.substring(0, 24).compareTo(b.substring(0, 24)));
	}

	@Test
	void aFailedRequestIsInTheGatewaysAccessLogWithoutAStackTraceAndTheActingUserIsInEveryLine(Stack stack)
			throws Exception {
		Stack.Account account = stack.signUp("acting-" + UUID.randomUUID() + "@example.com");
		HttpResponse<String> missing = stack.json("GET", stack.gatewayPort, "/bugs/987654321", null, "Authorization",
				account.bearer());
		assertThat(missing.statusCode()).isEqualTo(404);
		String missingTrace = missing.headers().firstValue("X-Trace-Id").orElseThrow();
		HttpResponse<String> reported = stack.json("POST", stack.gatewayPort, "/bugs", "{\"title\": \"Logged\"}",
				"Authorization", account.bearer());
		assertThat(reported.statusCode()).as(reported.body()).isEqualTo(201);
		String reportTrace = reported.headers().firstValue("X-Trace-Id").orElseThrow();

		stack.await(Duration.ofSeconds(10), "the gateway logs the 404",
				() -> linesOf(stack.gateway.jsonLog(), missingTrace).size() == 1);
		Map<String, Object> access = linesOf(stack.gateway.jsonLog(), missingTrace).get(0);
		assertThat(JsonPath.<String>read(access, "$.log.logger")).isEqualTo("bugtracker.access");
		assertThat((String) access.get("message")).startsWith("GET /bugs/987654321 -> 404 in ");
		for (ServiceProcess service : List.of(stack.gateway, stack.bugs, stack.users)) {
			assertThat(linesOf(service.jsonLog(), missingTrace)).as(service.name())
				.noneSatisfy((line) -> assertThat(line).containsKey("error"));
		}
		stack.await(Duration.ofSeconds(10), "bugs-service logs the report",
				() -> !linesOf(stack.bugs.jsonLog(), reportTrace).isEmpty());
		assertThat(linesOf(stack.bugs.jsonLog(), reportTrace)).allSatisfy(
				(line) -> assertThat(JsonPath.<String>read(line, "$.user.id")).isEqualTo(String.valueOf(account.id())));

		assertThat(logs(stack, "--trace", missingTrace, "--service", "gateway")).contains("-> 404");
		assertThat(logs(stack, "--trace", missingTrace, "--service", "bugs-service")).isEmpty();
		assertThat(logs(stack, "--level", "ERROR", "--since", "1h").lines())
			.allSatisfy((line) -> assertThat(line).contains(" ERROR "));
	}

	@Test
	void everyLineOfEveryServiceIsAJsonObjectWithItsServiceAndInstance(Stack stack) throws IOException {
		for (ServiceProcess service : List.of(stack.registry, stack.gateway, stack.users, stack.bugs,
				stack.notificator)) {
			List<String> lines = Files.readAllLines(service.jsonLog(), StandardCharsets.UTF_8);
			assertThat(lines).as(service.name()).isNotEmpty().allSatisfy((line) -> {
				Map<String, Object> json = JsonPath.parse(line).json();
				assertThat(json).containsKeys("@timestamp", "log", "service", "message");
				assertThat(JsonPath.<String>read(json, "$.service.name")).isEqualTo(service.name());
				assertThat(JsonPath.<String>read(json, "$.service.node.name"))
					.startsWith(service.name() + ":127.0.0.1:");
			});
		}
	}

	private static List<Map<String, Object>> linesOf(Path log, String traceId) throws IOException {
		List<Map<String, Object>> lines = new ArrayList<>();
		try (Stream<String> all = Files.lines(log, StandardCharsets.UTF_8)) {
			all.filter((line) -> line.contains("\"traceId\":\"" + traceId + "\""))
				.forEach((line) -> lines.add(JsonPath.parse(line).json()));
		}
		return lines;
	}

	/** {@code scripts/local.sh logs} with the given options, on this stack's logs. */
	private static String logs(Stack stack, String... options) throws IOException, InterruptedException {
		Path root = Path.of(System.getProperty("bugtracker.root", ".."));
		List<String> command = new ArrayList<>(List.of(root.resolve("scripts/local.sh").toString(), "logs"));
		command.addAll(List.of(options));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("BUGTRACKER_LOG_DIR", stack.workdir.resolve("var/log").toString());
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as(output).isZero();
		return output;
	}

}

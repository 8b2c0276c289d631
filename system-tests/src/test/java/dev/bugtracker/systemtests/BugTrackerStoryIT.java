package dev.bugtracker.systemtests;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bug tracker's whole story through the gateway, with real processes: users, a bug,
 * its workflow, comments, optimistic locking, history, search and the emails it sends.
 */
@ExtendWith(StackExtension.class)
class BugTrackerStoryIT {

	@Test
	void aBugFromReportToReopening(Stack stack) {
		int gw = stack.gatewayPort;
		String tag = UUID.randomUUID().toString().substring(0, 8);
		String reporterEmail = "reporter-" + tag + "@example.com";
		String assigneeEmail = "assignee-" + tag + "@example.com";
		Stack.Account rita = stack.signUp(reporterEmail);
		Stack.Account dan = stack.signUp(assigneeEmail);
		long assignee = dan.id();
		String title = "Login button does nothing " + tag;

		// Report.
		HttpResponse<String> created = stack.json("POST", gw, "/bugs", """
				{"title": "%s", "description": "On Firefox the login button does nothing %s",
				 "priority": "HIGH", "labels": ["UI", "login-%s"]}
				""".formatted(title, tag, tag), "Authorization", rita.bearer());
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		long bug = id(created);
		String key = JsonPath.read(created.body(), "$.key");
		assertThat(key).isEqualTo("BUG-" + bug);
		assertThat((String) JsonPath.read(created.body(), "$.status")).isEqualTo("OPEN");
		assertThat(created.headers().firstValue("Location")).hasValue("/bugs/" + bug);
		assertThat(((Number) JsonPath.read(created.body(), "$.reporterId")).longValue())
			.as("the reporter is the token's user")
			.isEqualTo(rita.id());

		// Assign, start work, comment.
		ok(stack.json("PUT", gw, "/bugs/" + key + "/assignee", "{\"userId\": " + assignee + "}", "Authorization",
				rita.bearer()));
		ok(stack.json("POST", gw, "/bugs/" + bug + "/transitions", "{\"to\": \"IN_PROGRESS\"}", "Authorization",
				dan.bearer()));
		HttpResponse<String> comment = stack.json("POST", gw, "/bugs/" + bug + "/comments",
				"{\"body\": \"Reproduced on Firefox 140\"}", "Authorization", dan.bearer());
		assertThat(comment.statusCode()).as(comment.body()).isEqualTo(201);

		// A patch based on a stale ETag is refused; one based on the current ETag goes
		// through.
		HttpResponse<String> current = stack.get(gw, "/bugs/" + key);
		String etag = current.headers().firstValue("ETag").orElseThrow();
		HttpResponse<String> stale = stack.json("PATCH", gw, "/bugs/" + bug, "{\"severity\": \"CRITICAL\"}",
				"Content-Type", "application/merge-patch+json", "If-Match", "\"0\"", "Authorization", rita.bearer());
		assertThat(stale.statusCode()).as(stale.body()).isEqualTo(412);
		HttpResponse<String> patched = stack.json("PATCH", gw, "/bugs/" + bug,
				"{\"severity\": \"CRITICAL\", \"labels\": [\"ui\", \"login-" + tag + "\", \"firefox\"]}", "If-Match",
				etag, "Authorization", rita.bearer());
		assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
		assertThat(patched.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);

		// Resolve, close, reopen; a move outside the workflow is a 409 listing the
		// allowed moves.
		HttpResponse<String> notAllowed = stack.json("POST", gw, "/bugs/" + bug + "/transitions", "{\"to\": \"OPEN\"}",
				"Authorization", dan.bearer());
		assertThat(notAllowed.statusCode()).isEqualTo(409);
		assertThat((List<String>) JsonPath.read(notAllowed.body(), "$.allowedMoves")).containsExactly("RESOLVED");
		ok(stack.json("POST", gw, "/bugs/" + bug + "/transitions", "{\"to\": \"RESOLVED\", \"resolution\": \"FIXED\"}",
				"Authorization", dan.bearer()));
		ok(stack.json("POST", gw, "/bugs/" + bug + "/transitions", "{\"to\": \"CLOSED\"}", "Authorization",
				dan.bearer()));
		HttpResponse<String> reopened = stack.json("POST", gw, "/bugs/" + bug + "/transitions",
				"{\"to\": \"REOPENED\"}", "Authorization", rita.bearer());
		ok(reopened);
		assertThat((Object) JsonPath.read(reopened.body(), "$.resolution")).isNull();

		// The history tells the whole story, oldest first.
		HttpResponse<String> history = stack.get(gw, "/bugs/" + key + "/history");
		ok(history);
		List<String> actions = JsonPath.read(history.body(), "$.content[*].action");
		assertThat(actions).containsSubsequence("CREATED", "ASSIGNED", "TRANSITIONED", "COMMENT_ADDED", "UPDATED",
				"TRANSITIONED", "TRANSITIONED", "TRANSITIONED");
		List<String> newStatuses = JsonPath.read(history.body(), "$.content[?(@.field == 'status')].newValue");
		assertThat(newStatuses).containsExactly("IN_PROGRESS", "RESOLVED", "CLOSED", "REOPENED");

		// Search by assignee, label, status and text.
		assertThat(searchIds(stack, "/bugs?assignee=" + assignee)).containsExactly(bug);
		assertThat(searchIds(stack, "/bugs?label=login-" + tag)).containsExactly(bug);
		assertThat(searchIds(stack, "/bugs?status=REOPENED&label=login-" + tag)).containsExactly(bug);
		assertThat(searchIds(stack, "/bugs?status=OPEN&label=login-" + tag)).isEmpty();
		assertThat(searchIds(stack, "/bugs?q=firefox%20" + tag)).containsExactly(bug);

		// The emails: the assignee heard about the assignment and the reopening, the
		// reporter about
		// the work and the comment; nobody about their own changes.
		String subject = "Subject: [" + key + "] " + title;
		stack.await(Duration.ofSeconds(30), "the assignee's emails arrive",
				() -> stack.emailsTo(assigneeEmail).stream().filter((eml) -> eml.contains(subject)).count() >= 2);
		stack.await(Duration.ofSeconds(30), "the reporter's emails arrive",
				() -> stack.emailsTo(reporterEmail).stream().filter((eml) -> eml.contains(subject)).count() >= 4);
		List<String> toAssignee = stack.emailsTo(assigneeEmail)
			.stream()
			.filter((eml) -> eml.contains(subject))
			.toList();
		assertThat(toAssignee).anyMatch((eml) -> eml.contains("assigned " + key + " to you"));
		assertThat(toAssignee).anyMatch((eml) -> eml.contains("to REOPENED"));
		assertThat(toAssignee).noneMatch((eml) -> eml.contains("Reproduced on Firefox"));
		List<String> toReporter = stack.emailsTo(reporterEmail)
			.stream()
			.filter((eml) -> eml.contains(subject))
			.toList();
		assertThat(toReporter).anyMatch((eml) -> eml.contains("Reproduced on Firefox 140"));
		assertThat(toReporter).anyMatch((eml) -> eml.contains("to RESOLVED (FIXED)"));
		assertThat(toReporter).noneMatch((eml) -> eml.contains("to REOPENED"));
	}

	@Test
	void unknownUsersGet422AndAnUnavailableUsersServiceGets503WithNothingWritten(Stack stack) throws Exception {
		int gw = stack.gatewayPort;
		Stack.Account reporter = stack.signUp("reporter-" + UUID.randomUUID() + "@example.com");
		HttpResponse<String> unknown = stack.json("POST", gw, "/bugs", "{\"title\": \"t\", \"assigneeId\": 999999}",
				"Authorization", reporter.bearer());
		assertThat(unknown.statusCode()).isEqualTo(422);
		assertThat((String) JsonPath.read(unknown.body(), "$.errors[0].field")).isEqualTo("assigneeId");

		// A user bugs-service has never looked up, so its answer cannot come from its
		// cache.
		long assignee = id(
				stack.json("POST", gw, "/users", "{\"email\": \"uncached-" + UUID.randomUUID() + "@example.com\"}"));
		String title = "Written while users was down " + UUID.randomUUID();
		// The gateway has exchanged the reporter's token above and keeps the access token
		// for up to 30 s: bugs-service is the one that misses users-service.
		stack.users.stop();
		try {
			HttpResponse<String> refused = stack.json("POST", gw, "/bugs",
					"{\"title\": \"" + title + "\", \"assigneeId\": " + assignee + "}", "Authorization",
					reporter.bearer());
			assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
			assertThat(refused.headers().firstValue("Retry-After")).isPresent();
			assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat((String) JsonPath.read(refused.body(), "$.title")).isEqualTo("Users unavailable");
		}
		finally {
			stack.users.start();
			stack.awaitReady(stack.users, stack.usersPort);
			stack.await(Duration.ofSeconds(60), "the gateway routes to users-service again", stack::routesToUsers);
			// bugs-service has its own view of the registry: wait until it reaches
			// users-service too, and leave its breaker as the next test expects it.
			stack.await(Duration.ofSeconds(60), "bugs-service reaches users-service again", () -> stack
				.json("POST", gw, "/bugs", "{\"title\": \"Probe after the outage\", \"assigneeId\": " + assignee + "}",
						"Authorization", reporter.bearer())
				.statusCode() == 201 && stack.breakerClosed(stack.bugsPort, "users"));
		}
		// The same search finds a bug written the same way once users-service is back, so
		// finding nothing above means nothing was written.
		String control = "Written after the outage " + java.util.UUID.randomUUID();
		long written = id(
				stack.json("POST", gw, "/bugs", "{\"title\": \"" + control + "\", \"assigneeId\": " + assignee + "}",
						"Authorization", reporter.bearer()));
		assertThat(searchIds(stack, "/bugs?q=" + control.substring(control.length() - 36))).containsExactly(written);
		assertThat(searchIds(stack, "/bugs?q=" + title.substring(title.length() - 36))).isEmpty();
	}

	@Test
	void aKeyedPostRepeatedThroughTheGatewayCreatesOneComment(Stack stack) {
		int gw = stack.gatewayPort;
		Stack.Account author = stack.signUp("keyed-" + UUID.randomUUID() + "@example.com");
		long bug = id(stack.json("POST", gw, "/bugs", "{\"title\": \"Keyed\"}", "Authorization", author.bearer()));
		String key = UUID.randomUUID().toString();
		String body = "{\"authorId\": " + author.id() + ", \"body\": \"Only once\"}";

		HttpResponse<String> first = stack.json("POST", gw, "/bugs/" + bug + "/comments", body, "Idempotency-Key", key,
				"Authorization", author.bearer());
		HttpResponse<String> repeat = stack.json("POST", gw, "/bugs/" + bug + "/comments", body, "Idempotency-Key", key,
				"Authorization", author.bearer());
		HttpResponse<String> other = stack.json("POST", gw, "/bugs/" + bug + "/comments",
				"{\"body\": \"Something else\"}", "Idempotency-Key", key, "Authorization", author.bearer());

		assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
		assertThat(repeat.statusCode()).isEqualTo(201);
		assertThat(repeat.body()).isEqualTo(first.body());
		assertThat(repeat.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(other.statusCode()).isEqualTo(422);
		HttpResponse<String> comments = stack.get(gw, "/bugs/" + bug + "/comments");
		assertThat((Integer) JsonPath.read(comments.body(), "$.page.totalElements")).isEqualTo(1);
	}

	/**
	 * Users act only as themselves: editing someone else's comment, transitioning a bug
	 * that is neither theirs nor assigned to them, and writing in someone else's name are
	 * refused with 403, and nothing changes.
	 */
	@Test
	void nobodyActsAsSomeoneElse(Stack stack) {
		int gw = stack.gatewayPort;
		Stack.Account owner = stack.signUp("owner-" + UUID.randomUUID() + "@example.com");
		Stack.Account mallory = stack.signUp("mallory-" + UUID.randomUUID() + "@example.com");
		long bug = id(
				stack.json("POST", gw, "/bugs", "{\"title\": \"Not Mallory's\"}", "Authorization", owner.bearer()));
		long comment = id(stack.json("POST", gw, "/bugs/" + bug + "/comments", "{\"body\": \"The owner's words\"}",
				"Authorization", owner.bearer()));
		String before = stack.get(gw, "/bugs/" + bug).body();

		List<HttpResponse<String>> refused = List.of(
				stack.json("PATCH", gw, "/bugs/" + bug + "/comments/" + comment, "{\"body\": \"Mallory's words\"}",
						"Authorization", mallory.bearer()),
				stack.send(java.net.http.HttpRequest.newBuilder(stack.uri(gw, "/bugs/" + bug + "/comments/" + comment))
					.header("Authorization", mallory.bearer())
					.DELETE()),
				stack.json("POST", gw, "/bugs/" + bug + "/transitions", "{\"to\": \"IN_PROGRESS\"}", "Authorization",
						mallory.bearer()),
				stack.json("PATCH", gw, "/bugs/" + bug, "{\"title\": \"Mallory was here\"}", "Authorization",
						mallory.bearer()),
				stack.json("PUT", gw, "/bugs/" + bug + "/assignee", "{\"userId\": " + mallory.id() + "}",
						"Authorization", mallory.bearer()),
				stack.json("PUT", gw, "/bugs/" + bug + "/watchers/" + owner.id(), "", "Authorization",
						mallory.bearer()),
				stack.json("POST", gw, "/bugs",
						"{\"title\": \"In the owner's name\", \"reporterId\": " + owner.id() + "}", "Authorization",
						mallory.bearer()),
				stack.json("POST", gw, "/bugs/" + bug + "/comments",
						"{\"authorId\": " + owner.id() + ", \"body\": \"In the owner's name\"}", "Authorization",
						mallory.bearer()));
		for (HttpResponse<String> response : refused) {
			assertThat(response.statusCode()).as(response.request().method() + " " + response.request().uri())
				.isEqualTo(403);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		}
		assertThat(stack.get(gw, "/bugs/" + bug).body()).as("the bug did not change").isEqualTo(before);
		HttpResponse<String> comments = stack.get(gw, "/bugs/" + bug + "/comments");
		assertThat((List<String>) JsonPath.read(comments.body(), "$.content[*].body"))
			.containsExactly("The owner's words");
		// Without a token, a change is 401, and says how to authenticate.
		HttpResponse<String> anonymous = stack.json("POST", gw, "/bugs/" + bug + "/transitions",
				"{\"to\": \"IN_PROGRESS\"}");
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
		// The owner still can.
		ok(stack.json("POST", gw, "/bugs/" + bug + "/transitions", "{\"to\": \"IN_PROGRESS\"}", "Authorization",
				owner.bearer()));
	}

	private static List<Long> searchIds(Stack stack, String path) {
		HttpResponse<String> page = stack.get(stack.gatewayPort, path);
		ok(page);
		List<Number> ids = JsonPath.read(page.body(), "$.content[*].id");
		return ids.stream().map(Number::longValue).toList();
	}

	private static long id(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
		return ((Number) JsonPath.read(response.body(), "$.id")).longValue();
	}

	private static void ok(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

}

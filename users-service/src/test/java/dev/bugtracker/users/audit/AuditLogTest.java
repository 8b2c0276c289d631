package dev.bugtracker.users.audit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.jayway.jsonpath.JsonPath;
import dev.bugtracker.platform.test.EmbeddedPostgresTestConfiguration;
import dev.bugtracker.users.user.UserTestData;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The audit log over real HTTP on PostgreSQL: sign-ups, failed logins (from 16 clients at
 * once), tokens and roles are recorded with who, what, when, from where and the outcome;
 * admins read them through {@code GET /auth/audit} with filters and paging, others
 * cannot; and the table refuses updates and deletes.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "spring.grpc.client.channel.notificator.target=127.0.0.1:1",
				"bugtracker.security.admins=auditor@example.com" })
@Import(EmbeddedPostgresTestConfiguration.class)
class AuditLogTest {

	private static final String ADMIN = "auditor@example.com";

	private static final String PASSWORD = "a password for the audit";

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private JdbcClient jdbc;

	@Test
	void signUpsTokensAndRolesAreRecordedWithWhoWhatWhenAndFromWhere() throws Exception {
		String email = unique("ann");
		HttpResponse<String> created = send("POST", "/users", null,
				"{\"email\": \"" + email + "\", \"password\": \"" + PASSWORD + "\"}", "198.51.100.7");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		long id = ((Number) JsonPath.read(created.body(), "$.id")).longValue();
		HttpResponse<String> token = send("POST", "/auth/tokens", basic(email),
				"{\"name\": \"laptop\", \"scopes\": [\"bugs:read\"], \"expiresInDays\": 1}", "198.51.100.7");
		assertThat(token.statusCode()).as(token.body()).isEqualTo(201);
		long tokenId = ((Number) JsonPath.read(token.body(), "$.id")).longValue();
		assertThat(send("DELETE", "/auth/tokens/" + tokenId, basic(email), null, "198.51.100.7").statusCode())
			.isEqualTo(204);
		registerAdmin();
		assertThat(send("PUT", "/users/" + id + "/roles/MAINTAINER", basic(ADMIN), null, "192.0.2.1").statusCode())
			.isEqualTo(200);

		List<Map<String, Object>> signUp = entries("type=SIGN_UP&actor=anonymous&size=100");
		assertThat(signUp).filteredOn((entry) -> ("user:" + id).equals(entry.get("subject")))
			.singleElement()
			.satisfies((entry) -> {
				assertThat(entry).containsEntry("outcome", "SUCCESS")
					.containsEntry("clientAddress", "198.51.100.7")
					.containsEntry("details", "with a password");
				assertThat((String) entry.get("occurredAt")).isNotBlank();
			});
		assertThat(entries("actor=" + id)).extracting((entry) -> entry.get("type") + " " + entry.get("subject"))
			.containsExactly("TOKEN_REVOKED token:" + tokenId, "TOKEN_CREATED token:" + tokenId);
		assertThat(entries("type=ROLE_GRANTED&actor=" + ADMIN)).first()
			.satisfies((entry) -> assertThat(entry).containsEntry("subject", "user:" + id)
				.containsEntry("details", "MAINTAINER")
				.containsEntry("clientAddress", "192.0.2.1"));
	}

	@Test
	void everyFailedPasswordFrom16ClientsAtOnceIsRecordedAndThrottledOnesAreNot() throws Exception {
		String email = unique("bob");
		send("POST", "/users", null, "{\"email\": \"" + email + "\", \"password\": \"" + PASSWORD + "\"}", null);
		ExecutorService clients = Executors.newFixedThreadPool(16);
		List<Integer> statuses = new ArrayList<>();
		try {
			List<Future<Integer>> guesses = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				String address = "203.0.113." + (i + 1);
				String guess = "Basic "
						+ Base64.getEncoder().encodeToString((email + ":guess " + i).getBytes(StandardCharsets.UTF_8));
				guesses.add(clients
					.submit((Callable<Integer>) () -> send("GET", "/users/me", guess, null, address).statusCode()));
			}
			for (Future<Integer> guess : guesses) {
				statuses.add(guess.get());
			}
		}
		finally {
			clients.shutdownNow();
		}
		long refused = statuses.stream().filter((status) -> status == 401).count();
		assertThat(refused).isPositive();
		registerAdmin();
		List<Map<String, Object>> failed = entries("type=LOGIN_FAILED&actor=" + email + "&outcome=FAILURE&size=100");
		assertThat(failed).hasSize((int) refused)
			.allSatisfy((entry) -> assertThat((String) entry.get("clientAddress")).startsWith("203.0.113."));
	}

	@Test
	void onlyAdminsReadTheLogAndBadFiltersAre400NamingTheParameter() throws Exception {
		String email = unique("carl");
		send("POST", "/users", null, "{\"email\": \"" + email + "\", \"password\": \"" + PASSWORD + "\"}", null);
		registerAdmin();

		assertThat(send("GET", "/auth/audit", basic(email), null, null).statusCode()).isEqualTo(403);
		assertThat(send("GET", "/auth/audit", null, null, null).statusCode()).isEqualTo(401);
		// HEAD runs the GET's query, and no other method may slip past the admins' rule
		// either: an admin alone gets as far as Spring MVC's 405.
		for (String method : List.of("HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")) {
			assertThat(send(method, "/auth/audit", null, null, null).statusCode()).as("anonymous " + method)
				.isEqualTo(401);
			assertThat(send(method, "/auth/audit", basic(email), null, null).statusCode()).as("a user's " + method)
				.isEqualTo(403);
		}
		assertThat(send("HEAD", "/auth/audit", basic(ADMIN), null, null).statusCode()).isEqualTo(200);
		assertThat(send("DELETE", "/auth/audit", basic(ADMIN), null, null).statusCode()).isEqualTo(405);
		for (String bad : List.of("type=NOT_A_TYPE", "outcome=MAYBE", "from=yesterday", "size=0", "sort=actor")) {
			HttpResponse<String> refused = send("GET", "/auth/audit?" + bad, basic(ADMIN), null, null);
			assertThat(refused.statusCode()).as(bad).isEqualTo(400);
			assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(refused.body()).contains(bad.substring(0, bad.indexOf('=')));
		}
		HttpResponse<String> page = send("GET", "/auth/audit?type=SIGN_UP&size=1&from=2020-01-01T00:00:00Z",
				basic(ADMIN), null, null);
		assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
		assertThat((List<?>) JsonPath.read(page.body(), "$.content")).hasSize(1);
		assertThat(((Number) JsonPath.read(page.body(), "$.page.totalElements")).longValue()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void theTableIsAppendOnly() {
		this.jdbc
			.sql("insert into audit_event (occurred_at, type, actor, outcome) values (now(), 'LOGIN', 'x', 'SUCCESS')")
			.update();

		assertThatException().isThrownBy(() -> this.jdbc.sql("update audit_event set actor = 'someone else'").update())
			.withMessageContaining("append-only");
		assertThatException().isThrownBy(() -> this.jdbc.sql("delete from audit_event").update())
			.withMessageContaining("append-only");
		assertThatException().isThrownBy(() -> this.jdbc.sql("truncate audit_event").update())
			.withMessageContaining("append-only");
	}

	private void registerAdmin() throws Exception {
		send("POST", "/users", null, "{\"email\": \"" + ADMIN + "\", \"password\": \"" + PASSWORD + "\"}", null);
		UserTestData.confirmAddress(this.jdbc, ADMIN);
	}

	private List<Map<String, Object>> entries(String query) throws Exception {
		HttpResponse<String> page = send("GET", "/auth/audit?" + query, basic(ADMIN), null, null);
		assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
		return JsonPath.read(page.body(), "$.content");
	}

	private HttpResponse<String> send(String method, String path, String authorization, String json,
			String clientAddress) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.method(method, (json != null) ? BodyPublishers.ofString(json) : BodyPublishers.noBody());
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		if (clientAddress != null) {
			request.header("X-Forwarded-For", clientAddress);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String basic(String email) {
		return "Basic " + Base64.getEncoder().encodeToString((email + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
	}

	private static String unique(String name) {
		return name + "-" + UUID.randomUUID() + "@example.com";
	}

}

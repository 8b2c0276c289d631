package dev.bugtracker.users.token;

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
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Personal access tokens over real HTTP on PostgreSQL: created with the account's
 * password and shown once, stored hashed, listed and revoked by their owner only,
 * exchanged for a short-lived signed token of their owner until revoked or expired.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "spring.grpc.client.channel.notificator.target=127.0.0.1:1",
				"bugtracker.security.admins=Root@Example.com,boss@example.com,chief@example.com,warden@example.com",
				"bugtracker.security.public-url=https://bugs.example.com" })
@Import(EmbeddedPostgresTestConfiguration.class)
class PersonalAccessTokensTest {

	private static final String PASSWORD = "a password for tokens";

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private MeterRegistry meters;

	@Test
	void aTokenIsShownOnceAndStoredOnlyAsItsHash() throws Exception {
		String email = account("ann");

		HttpResponse<String> created = send("POST", "/auth/tokens", basic(email),
				"{\"name\": \"laptop\", \"scopes\": [\"bugs:write\"], \"expiresInDays\": 30}");

		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String token = JsonPath.read(created.body(), "$.token");
		assertThat(token).startsWith("btp_").hasSizeGreaterThan(40);
		assertThat((List<String>) JsonPath.read(created.body(), "$.scopes")).containsExactly("bugs:write");
		HttpResponse<String> listed = send("GET", "/auth/tokens", basic(email), null);
		assertThat(listed.statusCode()).isEqualTo(200);
		assertThat(listed.body()).contains("laptop").doesNotContain(token).doesNotContain("\"token\"");
		Map<String, Object> row = this.jdbc
			.sql("select * from personal_access_token where name = 'laptop' "
					+ "and user_id = (select id from users where email = ?)")
			.param(email)
			.query()
			.singleRow();
		assertThat(row.get("token_hash")).isEqualTo(PersonalAccessTokenService.hash(token));
		assertThat(row.values()).noneMatch((value) -> String.valueOf(value).contains(token));
	}

	@Test
	void aTokenIsExchangedForAShortLivedSignedTokenOfItsOwnerWithItsScopes() throws Exception {
		String email = account("ben");
		long userId = this.jdbc.sql("select id from users where email = ?").param(email).query(Long.class).single();
		String token = create(email, "[\"bugs:read\", \"bugs:write\"]");

		HttpResponse<String> exchanged = exchange("Bearer " + token);

		assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
		assertThat((String) JsonPath.read(exchanged.body(), "$.token_type")).isEqualTo("Bearer");
		Jwt jwt = NimbusJwtDecoder.withJwkSetUri(uri("/oauth2/jwks").toString())
			.build()
			.decode(JsonPath.read(exchanged.body(), "$.access_token"));
		assertThat(jwt.getSubject()).isEqualTo(String.valueOf(userId));
		assertThat(jwt.getIssuer()).hasToString("https://bugs.example.com");
		assertThat(jwt.getClaimAsStringList("scope")).containsExactlyInAnyOrder("bugs:read", "bugs:write");
		assertThat(jwt.getClaimAsStringList("roles")).containsExactly("USER");
		assertThat(jwt.getClaimAsString("email")).isEqualTo(email);
		assertThat(jwt.getExpiresAt().getEpochSecond() - jwt.getIssuedAt().getEpochSecond()).isEqualTo(300);
	}

	@Test
	void anExchangedTokenActsAsItsOwnerButCannotMakeMoreTokens() throws Exception {
		String email = account("hal");
		String jwt = JsonPath.read(exchange("Bearer " + create(email, "[\"users:read\"]")).body(), "$.access_token");

		HttpResponse<String> me = send("GET", "/users/me", "Bearer " + jwt, null);
		assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
		assertThat((String) JsonPath.read(me.body(), "$.email")).isEqualTo(email);
		HttpResponse<String> more = send("POST", "/auth/tokens", "Bearer " + jwt,
				"{\"name\": \"another\", \"scopes\": [\"bugs:read\"]}");
		assertThat(more.statusCode()).isEqualTo(403);
		assertThat(more.headers().firstValue("Content-Type")).hasValue("application/problem+json");

		String[] parts = jwt.split("\\.");
		String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 4) + "AAAA." + parts[2];
		for (String refused : List.of(tampered, "not.a.jwt", "garbage")) {
			HttpResponse<String> answer = send("GET", "/users/me", "Bearer " + refused, null);
			assertThat(answer.statusCode()).as(refused).isEqualTo(401);
			assertThat(answer.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((value) -> assertThat(value).startsWith("Bearer error=\"invalid_token\""));
			assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		}
	}

	@Test
	void revokedExpiredUnknownOrMissingTokensAre401() throws Exception {
		String email = account("cat");
		String revoked = create(email, "[\"bugs:read\"]");
		long revokedId = this.jdbc.sql("select id from personal_access_token where token_hash = ?")
			.param(PersonalAccessTokenService.hash(revoked))
			.query(Long.class)
			.single();
		assertThat(exchange("Bearer " + revoked).statusCode()).isEqualTo(200);
		assertThat(send("DELETE", "/auth/tokens/" + revokedId, basic(email), null).statusCode()).isEqualTo(204);
		String expired = create(email, "[\"bugs:read\"]");
		this.jdbc.sql("update personal_access_token set expires_at = now() - interval '1 second' where token_hash = ?")
			.param(PersonalAccessTokenService.hash(expired))
			.update();
		double refusedBefore = refusedTokens("personal-access-token");
		double refusedJwtsBefore = refusedTokens("access-token");

		for (String authorization : List.of("Bearer " + revoked, "Bearer " + expired, "Bearer btp_" + UUID.randomUUID(),
				"Bearer not-a-token", basic(email))) {
			HttpResponse<String> refused = exchange(authorization);
			assertThat(refused.statusCode()).as(authorization).isEqualTo(401);
			assertThat(refused.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((value) -> assertThat(value).startsWith("Bearer error=\"invalid_token\""));
			assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		}
		assertThat(exchange(null).statusCode()).isEqualTo(401);
		// Refused exchanges count as personal access token failures; a bearer token that
		// is
		// not one is taken for an access token (a JWT) and refused as such.
		assertThat(refusedTokens("personal-access-token")).isEqualTo(refusedBefore + 5);
		assertThat(refusedTokens("access-token")).isEqualTo(refusedJwtsBefore + 1);
	}

	private double refusedTokens(String kind) {
		return this.meters.get("bugtracker.token.failures").tag("kind", kind).counter().count();
	}

	@Test
	void onlyTheOwnerListsAndRevokesATokenAndEveryoneElseNeedsTheirPassword() throws Exception {
		String owner = account("dan");
		String other = account("eve");
		String token = create(owner, "[\"bugs:read\"]");
		long id = this.jdbc.sql("select id from personal_access_token where token_hash = ?")
			.param(PersonalAccessTokenService.hash(token))
			.query(Long.class)
			.single();

		assertThat(send("DELETE", "/auth/tokens/" + id, basic(other), null).statusCode()).isEqualTo(404);
		assertThat(send("GET", "/auth/tokens", basic(other), null).body()).doesNotContain("\"id\":" + id + ",");
		assertThat(send("GET", "/auth/tokens", null, null).statusCode()).isEqualTo(401);
		assertThat(send("POST", "/auth/tokens", null, "{\"name\": \"x\", \"scopes\": [\"bugs:read\"]}").statusCode())
			.isEqualTo(401);
		assertThat(exchange("Bearer " + token).statusCode()).as("still valid").isEqualTo(200);
	}

	@Test
	void badRequestsAre400NamingTheField() throws Exception {
		String email = account("fay");
		Map<String, String> bodies = Map.of("scopes", "{\"name\": \"x\", \"scopes\": [\"bugs:read\", \"root\"]}",
				"expiresInDays", "{\"name\": \"x\", \"scopes\": [\"bugs:read\"], \"expiresInDays\": 366}", "name",
				"{\"name\": \" \", \"scopes\": [\"bugs:read\"]}");
		for (Map.Entry<String, String> bad : bodies.entrySet()) {
			HttpResponse<String> refused = send("POST", "/auth/tokens", basic(email), bad.getValue());
			assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
			assertThat((String) JsonPath.read(refused.body(), "$.errors[0].field")).isEqualTo(bad.getKey());
		}
		HttpResponse<String> noScopes = send("POST", "/auth/tokens", basic(email), "{\"name\": \"x\", \"scopes\": []}");
		assertThat(noScopes.statusCode()).isEqualTo(400);
	}

	@Test
	void manyClientsExchangeOneTokenAtOnce() throws Exception {
		String token = create(account("gus"), "[\"bugs:read\"]");
		ExecutorService clients = Executors.newFixedThreadPool(16);
		try {
			List<Future<Integer>> statuses = new ArrayList<>();
			for (int i = 0; i < 64; i++) {
				statuses.add(clients.submit((Callable<Integer>) () -> exchange("Bearer " + token).statusCode()));
			}
			for (Future<Integer> status : statuses) {
				assertThat(status.get()).isEqualTo(200);
			}
		}
		finally {
			clients.shutdownNow();
		}
		assertThat(this.jdbc.sql("select last_used_at from personal_access_token where token_hash = ?")
			.param(PersonalAccessTokenService.hash(token))
			.query()
			.singleValue()).isNotNull();
	}

	private String account(String name) throws Exception {
		String email = name + "-" + UUID.randomUUID() + "@example.com";
		HttpResponse<String> created = send("POST", "/users", null,
				"{\"email\": \"" + email + "\", \"password\": \"" + PASSWORD + "\"}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return email;
	}

	private String create(String email, String scopes) throws Exception {
		HttpResponse<String> created = send("POST", "/auth/tokens", basic(email),
				"{\"name\": \"script\", \"scopes\": " + scopes + "}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return JsonPath.read(created.body(), "$.token");
	}

	private HttpResponse<String> exchange(String authorization) throws Exception {
		return send("POST", "/internal/tokens/exchange", authorization, null);
	}

	private static String basic(String email) {
		return "Basic " + Base64.getEncoder().encodeToString((email + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
	}

	private HttpResponse<String> send(String method, String path, String authorization, String json) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.method(method, (json != null) ? BodyPublishers.ofString(json) : BodyPublishers.noBody());
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}

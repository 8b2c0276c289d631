package dev.bugtracker.users.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

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

/**
 * Cutting off stolen credentials, over real HTTP on PostgreSQL: a password change with
 * the current password, signing out everywhere, and an admin disabling an account. Each
 * revokes every personal access token of the account, whose exchange at the gateway then
 * fails, and raises the account's credentials version: an access token issued before is
 * refused once the cut-offs are fetched again (every 500 ms here, 10 s by default), and
 * the cut-off is published to the other services.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "spring.grpc.client.channel.notificator.target=127.0.0.1:1",
				"bugtracker.security.admins=Root@Example.com,boss@example.com,chief@example.com,warden@example.com",
				"bugtracker.security.public-url=https://bugs.example.com",
				"bugtracker.security.cut-offs.poll-interval=500ms",
				"bugtracker.security.login-throttle.refused-sign-ups-per-address.free=3" })
@Import(EmbeddedPostgresTestConfiguration.class)
class AccountLifecycleTest {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private JdbcClient jdbc;

	@Test
	void aPasswordChangeTakesTheCurrentOneAndCutsOffWhatTheOldOneMade() throws Exception {
		String email = unique("judy");
		signUp(email, "judy's first password");
		String token = personalAccessToken(email, "judy's first password");
		assertThat(exchange(token)).isEqualTo(200);
		String issuedBefore = accessToken(token);
		assertThat(meWith(issuedBefore)).isEqualTo(200);

		HttpResponse<String> wrong = send("PUT", "/users/me/password", basic(email, "judy's first password"),
				"{\"currentPassword\": \"not judy's password\", \"newPassword\": \"judy's second password\"}", null);
		assertThat(wrong.statusCode()).isEqualTo(400);
		assertThat((String) JsonPath.read(wrong.body(), "$.errors[0].field")).isEqualTo("currentPassword");
		HttpResponse<String> tooShort = send("PUT", "/users/me/password", basic(email, "judy's first password"),
				"{\"currentPassword\": \"judy's first password\", \"newPassword\": \"short\"}", null);
		assertThat(tooShort.statusCode()).isEqualTo(400);
		assertThat((String) JsonPath.read(tooShort.body(), "$.errors[0].field")).isEqualTo("newPassword");
		assertThat(tooShort.body()).doesNotContain("judy's first password");

		HttpResponse<String> changed = send("PUT", "/users/me/password", basic(email, "judy's first password"),
				"{\"currentPassword\": \"judy's first password\", \"newPassword\": \"judy's second password\"}", null);
		assertThat(changed.statusCode()).as(changed.body()).isEqualTo(204);
		assertThat(me(email, "judy's first password")).isEqualTo(401);
		assertThat(me(email, "judy's second password")).isEqualTo(200);
		assertThat(exchange(token)).as("a token made with the old password").isEqualTo(401);
		awaitRefused(issuedBefore);
		String issuedAfter = accessToken(personalAccessToken(email, "judy's second password"));
		assertThat(meWith(issuedAfter)).as("an access token issued after the change").isEqualTo(200);
	}

	@Test
	void guessingTheCurrentPasswordWithAStolenTokenIsThrottledAsLoginsAre() throws Exception {
		String email = unique("ken");
		signUp(email, "ken's real password");
		String stolen = accessToken(personalAccessToken(email, "ken's real password"));
		List<Integer> guesses = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			guesses.add(send("PUT", "/users/me/password", stolen,
					"{\"currentPassword\": \"guess " + i + "\", \"newPassword\": \"the thief's password\"}",
					"203.0.113.77")
				.statusCode());
		}
		assertThat(guesses).startsWith(400, 400, 400, 400, 400).contains(429);
		HttpResponse<String> waiting = send("PUT", "/users/me/password", stolen,
				"{\"currentPassword\": \"ken's real password\", \"newPassword\": \"the thief's password\"}",
				"203.0.113.77");
		assertThat(waiting.statusCode()).as("even the right one waits").isEqualTo(429);
		assertThat(waiting.headers().firstValue("Retry-After")).isPresent();
		assertThat(me(email, "ken's real password")).isEqualTo(200);
	}

	@Test
	void signingOutEverywhereRevokesEveryTokenOfTheAccount() throws Exception {
		String email = unique("lena");
		signUp(email, "lena's own password");
		String laptop = personalAccessToken(email, "lena's own password");
		String phone = personalAccessToken(email, "lena's own password");
		String issuedBefore = accessToken(phone);
		long lena = id(send("GET", "/users/me", issuedBefore, null, null));

		HttpResponse<String> out = send("POST", "/users/me/sign-out-everywhere", basic(email, "lena's own password"),
				null, null);

		assertThat(out.statusCode()).as(out.body()).isEqualTo(204);
		assertThat(exchange(laptop)).isEqualTo(401);
		assertThat(exchange(phone)).isEqualTo(401);
		assertThat(me(email, "lena's own password")).as("the password stays").isEqualTo(200);
		awaitRefused(issuedBefore);

		// The cut-off is published to the services, for their own service tokens only.
		assertThat(send("GET", "/internal/credential-cut-offs", null, null, null).statusCode()).isEqualTo(401);
		assertThat(send("GET", "/internal/credential-cut-offs",
				accessToken(personalAccessToken(email, "lena's own password")), null, null)
			.statusCode()).as("a user's token").isEqualTo(403);
		HttpResponse<String> feed = send("GET", "/internal/credential-cut-offs", serviceToken(), null, null);
		assertThat(feed.statusCode()).as(feed.body()).isEqualTo(200);
		List<Integer> versions = JsonPath.read(feed.body(), "$.cutOffs[?(@.userId == " + lena + ")].version");
		assertThat(versions).containsExactly(1);
		HttpResponse<String> badSince = send("GET", "/internal/credential-cut-offs?since=yesterday", serviceToken(),
				null, null);
		assertThat(badSince.statusCode()).isEqualTo(400);
		assertThat(badSince.body()).contains("since");
	}

	@Test
	void anAdminDisablesAnAccountAndNothingOfItWorksUntilEnabledAgain() throws Exception {
		String warden = "warden@example.com";
		HttpResponse<String> registered = send("POST", "/users", null,
				"{\"email\": \"" + warden + "\", \"password\": \"the warden's password\"}", null);
		assertThat(registered.statusCode()).isIn(201, 409);
		UserTestData.confirmAddress(this.jdbc, warden);
		long wardenId = id(send("GET", "/users/me", basic(warden, "the warden's password"), null, null));
		String email = unique("mallory");
		long mallory = id(signUp(email, "mallory's password"));
		String token = personalAccessToken(email, "mallory's password");
		String issuedBefore = accessToken(token);

		assertThat(send("PUT", "/users/" + wardenId + "/disabled", basic(email, "mallory's password"), null, null)
			.statusCode()).as("a user disabling an admin").isEqualTo(403);
		HttpResponse<String> disabled = send("PUT", "/users/" + mallory + "/disabled",
				basic(warden, "the warden's password"), null, null);
		assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
		assertThat((Boolean) JsonPath.read(disabled.body(), "$.disabled")).isTrue();
		assertThat(me(email, "mallory's password")).isEqualTo(401);
		assertThat(exchange(token)).isEqualTo(401);
		awaitRefused(issuedBefore);
		assertThat(send("PUT", "/users/" + wardenId + "/disabled", basic(warden, "the warden's password"), null, null)
			.statusCode()).as("an admin disabling themselves").isEqualTo(409);

		HttpResponse<String> enabled = send("DELETE", "/users/" + mallory + "/disabled",
				basic(warden, "the warden's password"), null, null);
		assertThat((Boolean) JsonPath.read(enabled.body(), "$.disabled")).isFalse();
		assertThat(me(email, "mallory's password")).isEqualTo(200);
		assertThat(exchange(token)).as("revoked tokens stay revoked").isEqualTo(401);
		assertThat(this.jdbc.sql("select count(*) from audit_event where type = 'ACCOUNT_DISABLED' and subject = ?")
			.param("user:" + mallory)
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	/**
	 * Sign-up answers 409 for a registered address (ADR 6), so a client probing which
	 * addresses have accounts is throttled: after 3 refusals here (20 by default) its
	 * sign-ups wait, whatever the address, with 429 and Retry-After; other clients sign
	 * up as before.
	 */
	@Test
	void probingWhichAddressesAreRegisteredThroughSignUpIsThrottledPerClient() throws Exception {
		String taken = unique("olga");
		signUp(taken, "olga's own password");
		String prober = "203.0.113.66";
		List<Integer> probes = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			probes.add(send("POST", "/users", null, "{\"email\": \"" + taken + "\"}", prober).statusCode());
		}
		assertThat(probes).containsExactly(409, 409, 409, 409);

		HttpResponse<String> waiting = send("POST", "/users/create", null, "{\"email\": \"" + unique("new") + "\"}",
				prober);
		assertThat(waiting.statusCode()).as("a new address, from the prober").isEqualTo(429);
		assertThat(waiting.headers().firstValue("Retry-After")).isPresent();
		assertThat(waiting.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(send("POST", "/users", null, "{\"email\": \"" + unique("pia") + "\"}", "198.51.100.66").statusCode())
			.as("another client")
			.isEqualTo(201);
	}

	private HttpResponse<String> signUp(String email, String password) throws Exception {
		HttpResponse<String> created = send("POST", "/users", null,
				"{\"email\": \"" + email + "\", \"password\": \"" + password + "\"}", null);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return created;
	}

	private String personalAccessToken(String email, String password) throws Exception {
		HttpResponse<String> made = send("POST", "/auth/tokens", basic(email, password),
				"{\"name\": \"t\", \"scopes\": [\"users:read\", \"users:write\"], \"expiresInDays\": 1}", null);
		assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
		return JsonPath.read(made.body(), "$.token");
	}

	/**
	 * The gateway's exchange of a personal access token: 200 with an access token, or
	 * 401.
	 */
	private int exchange(String token) throws Exception {
		return send("POST", "/internal/tokens/exchange", "Bearer " + token, null, null).statusCode();
	}

	private String accessToken(String token) throws Exception {
		HttpResponse<String> exchanged = send("POST", "/internal/tokens/exchange", "Bearer " + token, null, null);
		assertThat(exchanged.statusCode()).isEqualTo(200);
		return "Bearer " + JsonPath.read(exchanged.body(), "$.access_token");
	}

	private int meWith(String authorization) throws Exception {
		return send("GET", "/users/me", authorization, null, null).statusCode();
	}

	/**
	 * An access token issued before a cut-off is refused once the cut-offs are fetched
	 * again (every 500 ms here): within 10 s, on a loaded machine.
	 */
	private void awaitRefused(String authorization) throws Exception {
		long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
		HttpResponse<String> me = send("GET", "/users/me", authorization, null, null);
		while (me.statusCode() == 200 && System.nanoTime() < deadline) {
			Thread.sleep(100);
			me = send("GET", "/users/me", authorization, null, null);
		}
		assertThat(me.statusCode()).as("an access token issued before the cut-off: %s", me.body()).isEqualTo(401);
		assertThat(me.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((value) -> assertThat(value).contains("invalid_token"));
	}

	/** A token of the client bugs-service, as the services fetch the cut-offs with. */
	private String serviceToken() throws Exception {
		HttpResponse<String> token = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/oauth2/token"))
				.header("Authorization", basic("bugs-service", "test-only-secret"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(BodyPublishers.ofString("grant_type=client_credentials&scope=users:lookup"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
		return "Bearer " + JsonPath.read(token.body(), "$.access_token");
	}

	private int me(String email, String password) throws Exception {
		return send("GET", "/users/me", basic(email, password), null, null).statusCode();
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

	private static long id(HttpResponse<String> response) {
		return ((Number) JsonPath.read(response.body(), "$.id")).longValue();
	}

	private static String basic(String email, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((email + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	private static String unique(String name) {
		return name + "-" + UUID.randomUUID() + "@example.com";
	}

}

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
 * fails.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "spring.grpc.client.channel.notificator.target=127.0.0.1:1",
				"bugtracker.security.admins=Root@Example.com,boss@example.com,chief@example.com,warden@example.com",
				"bugtracker.security.public-url=https://bugs.example.com" })
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

		HttpResponse<String> out = send("POST", "/users/me/sign-out-everywhere", basic(email, "lena's own password"),
				null, null);

		assertThat(out.statusCode()).as(out.body()).isEqualTo(204);
		assertThat(exchange(laptop)).isEqualTo(401);
		assertThat(exchange(phone)).isEqualTo(401);
		assertThat(me(email, "lena's own password")).as("the password stays").isEqualTo(200);
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

		assertThat(send("PUT", "/users/" + wardenId + "/disabled", basic(email, "mallory's password"), null, null)
			.statusCode()).as("a user disabling an admin").isEqualTo(403);
		HttpResponse<String> disabled = send("PUT", "/users/" + mallory + "/disabled",
				basic(warden, "the warden's password"), null, null);
		assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
		assertThat((Boolean) JsonPath.read(disabled.body(), "$.disabled")).isTrue();
		assertThat(me(email, "mallory's password")).isEqualTo(401);
		assertThat(exchange(token)).isEqualTo(401);
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

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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import dev.bugtracker.platform.test.EmbeddedPostgresTestConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accounts over real HTTP on PostgreSQL: passwords given at sign-up or set through the
 * emailed one-time link, HTTP Basic on {@code /users/me}, roles granted by admins, and
 * passwords kept out of answers and logs.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "spring.grpc.client.channel.notificator.target=127.0.0.1:1",
				"bugtracker.security.admins=Root@Example.com,boss@example.com,chief@example.com,warden@example.com",
				"bugtracker.security.public-url=https://bugs.example.com" })
@Import(EmbeddedPostgresTestConfiguration.class)
@ExtendWith(OutputCaptureExtension.class)
class AccountsTest {

	private static final Pattern LINK = Pattern
		.compile("(https://bugs\\.example\\.com/users/password\\?token=)([0-9a-f-]{36})");

	private static final Pattern CONFIRMATION = Pattern
		.compile("(https://bugs\\.example\\.com/users/me/email-confirmation\\?token=)([0-9a-f-]{36})");

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private MeterRegistry meters;

	@Test
	void aPasswordGivenAtSignUpIsStoredEncodedAndLogsIn(CapturedOutput output) throws Exception {
		String email = unique("alice");
		String password = "correct horse battery staple";
		HttpResponse<String> created = post("/users",
				"{\"email\": \"" + email + "\", \"password\": \"" + password + "\"}");

		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		assertThat(created.body()).doesNotContain(password).doesNotContain("password");
		String hash = this.jdbc.sql("select password_hash from users where email = ?")
			.param(email)
			.query(String.class)
			.single();
		assertThat(hash).startsWith("{bcrypt}$2").doesNotContain(password);
		HttpResponse<String> me = get("/users/me", email, password);
		assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
		assertThat((String) JsonPath.read(me.body(), "$.email")).isEqualTo(email);
		assertThat((List<String>) JsonPath.read(me.body(), "$.roles")).containsExactly("USER");
		assertThat((Boolean) JsonPath.read(me.body(), "$.passwordSet")).isTrue();
		assertThat((Boolean) JsonPath.read(me.body(), "$.emailVerified")).isFalse();
		assertThat(LINK.matcher(welcomeEmailOf(created)).find()).as("a set-password link").isFalse();
		assertThat(CONFIRMATION.matcher(welcomeEmailOf(created)).find()).as("a confirmation link").isTrue();
		assertThat(output.getAll()).doesNotContain(password);
	}

	@Test
	void aWrongPasswordOrNoneIs401WithAProblemAndTheWayToAuthenticate() throws Exception {
		String email = unique("bob");
		post("/users", "{\"email\": \"" + email + "\", \"password\": \"the right password\"}");

		for (HttpResponse<String> refused : List.of(get("/users/me", email, "the wrong password"),
				get("/users/me", null, null), get("/users/me", unique("nobody"), "the right password"))) {
			assertThat(refused.statusCode()).isEqualTo(401);
			assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(refused.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((value) -> assertThat(value).startsWith("Bearer").contains("Basic realm="));
			assertThat((Integer) JsonPath.read(refused.body(), "$.status")).isEqualTo(401);
		}
	}

	@Test
	void guessingPasswordsIsSlowedDownWithoutLockingTheOwnerOut() throws Exception {
		String email = unique("ivy");
		post("/users", "{\"email\": \"" + email + "\", \"password\": \"ivy's real password\"}");
		double failed = logins("failure");
		double throttled = logins("throttled");
		double succeeded = logins("success");
		ExecutorService guessers = Executors.newFixedThreadPool(8);
		List<HttpResponse<String>> answers = new ArrayList<>();
		try {
			List<Future<HttpResponse<String>>> guesses = new ArrayList<>();
			for (int i = 0; i < 32; i++) {
				String guess = "guess number " + i;
				guesses.add(guessers.submit((Callable<HttpResponse<String>>) () -> me(email, guess, "203.0.113.7")));
			}
			for (Future<HttpResponse<String>> guess : guesses) {
				answers.add(guess.get());
			}
		}
		finally {
			guessers.shutdownNow();
		}
		long checked = answers.stream().filter((answer) -> answer.statusCode() == 401).count();
		List<HttpResponse<String>> slowed = answers.stream().filter((answer) -> answer.statusCode() == 429).toList();
		assertThat(checked + slowed.size()).isEqualTo(32);
		assertThat(checked).as("passwords checked before the guesser had to wait").isLessThan(16);
		assertThat(slowed).allSatisfy((answer) -> {
			assertThat(answer.headers().firstValue("Retry-After")).isPresent();
			assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		});

		assertThat(me(email, "ivy's real password", "198.51.100.2").statusCode())
			.as("the owner, from elsewhere, gets in at once")
			.isEqualTo(200);
		assertThat(me(email, "ivy's real password", "203.0.113.7").statusCode())
			.as("from the guesser's address even the right password waits")
			.isEqualTo(429);
		assertThat(logins("failure")).isEqualTo(failed + checked);
		assertThat(logins("throttled")).isEqualTo(throttled + slowed.size() + 1);
		assertThat(logins("success")).isEqualTo(succeeded + 1);
	}

	private double logins(String outcome) {
		return this.meters.get("bugtracker.logins").tag("outcome", outcome).counter().count();
	}

	private HttpResponse<String> me(String email, String password, String clientAddress) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri("/users/me"))
			.header("X-Forwarded-For", clientAddress)
			.header("Authorization",
					"Basic " + Base64.getEncoder()
						.encodeToString((email + ":" + password).getBytes(StandardCharsets.UTF_8)))
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void withoutAPasswordTheWelcomeEmailCarriesALinkThatSetsItOnce() throws Exception {
		String email = unique("carol");
		HttpResponse<String> created = post("/users/create", "{\"email\": \"" + email + "\"}");
		assertThat(created.statusCode()).isEqualTo(201);
		String token = tokenOf(welcomeEmailOf(created));
		assertThat(get("/users/me", email, "a password of my own").statusCode()).isEqualTo(401);

		HttpResponse<String> set = setPassword(token, "a password of my own");

		assertThat(set.statusCode()).as(set.body()).isEqualTo(204);
		HttpResponse<String> me = get("/users/me", email, "a password of my own");
		assertThat(me.statusCode()).isEqualTo(200);
		assertThat((Boolean) JsonPath.read(me.body(), "$.emailVerified")).as("the link proved the address").isTrue();
		HttpResponse<String> again = setPassword(token, "someone else's password");
		assertThat(again.statusCode()).isEqualTo(400);
		assertThat(again.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat((String) JsonPath.read(again.body(), "$.errors[0].field")).isEqualTo("token");
		assertThat(get("/users/me", email, "someone else's password").statusCode()).isEqualTo(401);
	}

	@Test
	void aLinkUsedByManyAtOnceSetsOnePassword() throws Exception {
		String email = unique("dave");
		String token = tokenOf(welcomeEmailOf(post("/users", "{\"email\": \"" + email + "\"}")));
		ExecutorService clients = Executors.newFixedThreadPool(16);
		try {
			List<Future<HttpResponse<String>>> answers = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				String password = "password number " + i;
				answers.add(clients.submit((Callable<HttpResponse<String>>) () -> setPassword(token, password)));
			}
			List<Integer> statuses = new ArrayList<>();
			String winner = null;
			for (int i = 0; i < answers.size(); i++) {
				int status = answers.get(i).get().statusCode();
				statuses.add(status);
				if (status == 204) {
					winner = "password number " + i;
				}
			}
			assertThat(statuses).containsOnly(204, 400).filteredOn((status) -> status == 204).hasSize(1);
			assertThat(get("/users/me", email, winner).statusCode()).isEqualTo(200);
		}
		finally {
			clients.shutdownNow();
		}
	}

	@Test
	void passwordsTooShortOrTooLongAre400NamingTheFieldWithoutEchoingIt() throws Exception {
		for (String password : List.of("short", "x".repeat(129))) {
			HttpResponse<String> refused = post("/users",
					"{\"email\": \"" + unique("erin") + "\", \"password\": \"" + password + "\"}");
			assertThat(refused.statusCode()).isEqualTo(400);
			assertThat((String) JsonPath.read(refused.body(), "$.errors[0].field")).isEqualTo("password");
			assertThat(refused.body()).doesNotContain(password);
		}
		HttpResponse<String> unknownToken = setPassword(UUID.randomUUID().toString(), "long enough password");
		assertThat(unknownToken.statusCode()).isEqualTo(400);
		assertThat((String) JsonPath.read(unknownToken.body(), "$.errors[0].field")).isEqualTo("token");
	}

	@Test
	void configuredAdminsGrantAndRevokeRolesAndOthersCannot() throws Exception {
		String root = "root@example.com";
		String rootsLink = tokenOf(CONFIRMATION, welcomeEmailOf(
				post("/users", "{\"email\": \"" + root + "\", \"password\": \"the admin's password\"}")));
		String frank = unique("frank");
		long frankId = id(post("/users", "{\"email\": \"" + frank + "\", \"password\": \"frank's password\"}"));

		HttpResponse<String> denied = send("PUT", "/users/" + frankId + "/roles/ADMIN", frank, "frank's password");
		assertThat(denied.statusCode()).isEqualTo(403);
		assertThat(denied.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat((String) JsonPath.read(denied.body(), "$.detail")).isEqualTo("This needs the role ADMIN");

		assertThat((List<String>) JsonPath.read(get("/users/me", root, "the admin's password").body(), "$.roles"))
			.as("a configured address is no privilege until its owner proves it")
			.containsExactly("USER");
		HttpResponse<String> confirmed = confirm(rootsLink, root, "the admin's password");
		assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
		assertThat((List<String>) JsonPath.read(confirmed.body(), "$.roles")).containsExactly("USER", "ADMIN");
		assertThat((Boolean) JsonPath.read(confirmed.body(), "$.emailVerified")).isTrue();
		HttpResponse<String> granted = send("PUT", "/users/" + frankId + "/roles/MAINTAINER", root,
				"the admin's password");
		assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
		assertThat((List<String>) JsonPath.read(get("/users/me", frank, "frank's password").body(), "$.roles"))
			.containsExactly("USER", "MAINTAINER");
		send("DELETE", "/users/" + frankId + "/roles/MAINTAINER", root, "the admin's password");
		assertThat((List<String>) JsonPath.read(get("/users/me", frank, "frank's password").body(), "$.roles"))
			.containsExactly("USER");
		HttpResponse<String> unknownRole = send("PUT", "/users/" + frankId + "/roles/OWNER", root,
				"the admin's password");
		assertThat(unknownRole.statusCode()).isEqualTo(400);
	}

	/**
	 * A stranger signs up first with an address that configuration makes admin: the
	 * account is an ordinary one, its owner cannot confirm the address without the
	 * stranger's password, and the address's real owner takes the account over with a
	 * reset link, which cuts the stranger off (password, tokens) and makes the owner
	 * admin.
	 */
	@Test
	void whoeverSignsUpFirstWithAnAdminsAddressIsNoAdminAndTheOwnerTakesTheAccountBack() throws Exception {
		String boss = "chief@example.com";
		HttpResponse<String> squatted = post("/users",
				"{\"email\": \"" + boss + "\", \"password\": \"the squatter's password\"}");
		String confirmationLink = tokenOf(CONFIRMATION, welcomeEmailOf(squatted));
		HttpResponse<String> me = get("/users/me", boss, "the squatter's password");
		assertThat((List<String>) JsonPath.read(me.body(), "$.roles")).containsExactly("USER");
		assertThat((Boolean) JsonPath.read(me.body(), "$.emailVerified")).isFalse();
		assertThat(send("GET", "/auth/audit", boss, "the squatter's password").statusCode()).isEqualTo(403);
		HttpResponse<String> pat = sendJson("POST", "/auth/tokens", boss, "the squatter's password",
				"{\"name\": \"squat\", \"scopes\": [\"users:read\"], \"expiresInDays\": 30}");
		assertThat(pat.statusCode()).as(pat.body()).isEqualTo(201);
		String squattersToken = JsonPath.read(pat.body(), "$.token");

		// The address's owner has the confirmation link, but not the password: the link
		// alone confirms nothing.
		HttpResponse<String> anonymous = post("/users/me/email-confirmation",
				"{\"token\": \"" + confirmationLink + "\"}");
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(post("/users", "{\"email\": \"" + boss + "\", \"password\": \"the owner's password\"}").statusCode())
			.isEqualTo(409);

		HttpResponse<String> asked = post("/users/password/reset", "{\"email\": \"Chief@Example.com\"}");
		assertThat(asked.statusCode()).isEqualTo(202);
		HttpResponse<String> reset = setPassword(tokenOf(LINK, resetEmailOf(id(squatted))), "the owner's password");
		assertThat(reset.statusCode()).as(reset.body()).isEqualTo(204);

		assertThat(get("/users/me", boss, "the squatter's password").statusCode()).isEqualTo(401);
		assertThat(send("POST", "/internal/tokens/exchange", "Bearer " + squattersToken).statusCode())
			.as("the squatter's personal access token")
			.isEqualTo(401);
		HttpResponse<String> owner = get("/users/me", boss, "the owner's password");
		assertThat((List<String>) JsonPath.read(owner.body(), "$.roles")).containsExactly("USER", "ADMIN");
		assertThat((Boolean) JsonPath.read(owner.body(), "$.emailVerified")).isTrue();
	}

	@Test
	void aConfirmationLinkTakesTheAccountsOwnCredentialAndIsNoPasswordLink() throws Exception {
		String grace = unique("grace");
		String heidi = unique("heidi");
		String gracesLink = tokenOf(CONFIRMATION,
				welcomeEmailOf(post("/users", "{\"email\": \"" + grace + "\", \"password\": \"grace's password\"}")));
		post("/users", "{\"email\": \"" + heidi + "\", \"password\": \"heidi's password\"}");

		HttpResponse<String> asPassword = setPassword(gracesLink, "a password grace did not choose");
		assertThat(asPassword.statusCode()).isEqualTo(400);
		assertThat((String) JsonPath.read(asPassword.body(), "$.errors[0].field")).isEqualTo("token");
		assertThat(get("/users/me", grace, "a password grace did not choose").statusCode()).isEqualTo(401);

		HttpResponse<String> resent = send("POST", "/users/me/email-confirmation/resend", grace, "grace's password");
		assertThat(resent.statusCode()).isEqualTo(202);
		String newLink = tokenOf(CONFIRMATION, this.jdbc
			.sql("select body from email_outbox where idempotency_key like 'users:confirmation:%' and recipient = ?")
			.param(grace)
			.query(String.class)
			.single());
		HttpResponse<String> byHeidi = confirm(newLink, heidi, "heidi's password");
		assertThat(byHeidi.statusCode()).as("another account's link").isEqualTo(400);
		assertThat((Boolean) JsonPath.read(get("/users/me", heidi, "heidi's password").body(), "$.emailVerified"))
			.isFalse();

		this.jdbc.sql("delete from email_outbox where recipient = ? and idempotency_key like 'users:confirmation:%'")
			.param(grace)
			.update();
		send("POST", "/users/me/email-confirmation/resend", grace, "grace's password");
		String thirdLink = tokenOf(CONFIRMATION, this.jdbc
			.sql("select body from email_outbox where idempotency_key like 'users:confirmation:%' and recipient = ?")
			.param(grace)
			.query(String.class)
			.single());
		HttpResponse<String> confirmed = confirm(thirdLink, grace, "grace's password");
		assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
		assertThat((Boolean) JsonPath.read(confirmed.body(), "$.emailVerified")).isTrue();
		assertThat(send("POST", "/users/me/email-confirmation/resend", grace, "grace's password").statusCode())
			.as("nothing to confirm any more")
			.isEqualTo(204);
	}

	@Test
	void askingForAResetSaysTheSameWhetherTheAddressIsRegisteredOrNot() throws Exception {
		String ivan = unique("ivan");
		long ivanId = id(post("/users", "{\"email\": \"" + ivan + "\", \"password\": \"ivan's password\"}"));

		List<HttpResponse<String>> answers = List.of(post("/users/password/reset", "{\"email\": \"" + ivan + "\"}"),
				post("/users/password/reset", "{\"email\": \"" + unique("nobody") + "\"}"),
				post("/users/password/reset", "{\"email\": \"" + ivan + "\"}"));

		for (HttpResponse<String> answer : answers) {
			assertThat(answer.statusCode()).isEqualTo(202);
			assertThat(answer.body()).isEmpty();
			assertThat(answer.headers().firstValue("Content-Type")).isEmpty();
		}
		assertThat(this.jdbc.sql("select count(*) from email_outbox where idempotency_key like ?")
			.param("users:password-reset:" + ivanId + ":%")
			.query(Long.class)
			.single()).as("reset emails for one account in five minutes").isEqualTo(1);
		HttpResponse<String> invalid = post("/users/password/reset", "{\"email\": \"not an address\"}");
		assertThat(invalid.statusCode()).isEqualTo(400);
		assertThat((String) JsonPath.read(invalid.body(), "$.errors[0].field")).isEqualTo("email");
		assertThat(get("/users/me", ivan, "ivan's password").statusCode()).as("asking changes nothing").isEqualTo(200);
	}

	private String welcomeEmailOf(HttpResponse<String> created) {
		long id = id(created);
		return this.jdbc.sql("select body from email_outbox where idempotency_key = ?")
			.param("users:welcome:" + id)
			.query(String.class)
			.single();
	}

	private String resetEmailOf(long id) {
		return this.jdbc.sql("select body from email_outbox where idempotency_key like ?")
			.param("users:password-reset:" + id + ":%")
			.query(String.class)
			.single();
	}

	private static String tokenOf(String email) {
		return tokenOf(LINK, email);
	}

	private static String tokenOf(Pattern pattern, String email) {
		Matcher link = pattern.matcher(email);
		assertThat(link.find()).as(email).isTrue();
		return link.group(2);
	}

	private static long id(HttpResponse<String> created) {
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return ((Number) JsonPath.read(created.body(), "$.id")).longValue();
	}

	private HttpResponse<String> setPassword(String token, String password) throws Exception {
		return post("/users/password", "{\"token\": \"" + token + "\", \"password\": \"" + password + "\"}");
	}

	private HttpResponse<String> confirm(String token, String email, String password) throws Exception {
		return sendJson("POST", "/users/me/email-confirmation", email, password, "{\"token\": \"" + token + "\"}");
	}

	private HttpResponse<String> sendJson(String method, String path, String email, String password, String json)
			throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.header("Authorization",
					"Basic " + Base64.getEncoder()
						.encodeToString((email + ":" + password).getBytes(StandardCharsets.UTF_8)))
			.method(method, BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> send(String method, String path, String authorization) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path))
			.header("Authorization", authorization)
			.method(method, BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String json) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path, String email, String password) throws Exception {
		return send("GET", path, email, password);
	}

	private HttpResponse<String> send(String method, String path, String email, String password) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).method(method, BodyPublishers.noBody());
		if (email != null) {
			request.header("Authorization", "Basic "
					+ Base64.getEncoder().encodeToString((email + ":" + password).getBytes(StandardCharsets.UTF_8)));
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static String unique(String name) {
		return name + "-" + UUID.randomUUID() + "@example.com";
	}

}

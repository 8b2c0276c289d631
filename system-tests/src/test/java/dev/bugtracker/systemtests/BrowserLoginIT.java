package dev.bugtracker.systemtests;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web client's login, in a real browser: Debian's headless Chromium, driven by
 * playwright-core ({@code system-tests/browser/login.mjs}), logs in on the authorization
 * server's login page through the gateway (authorization code with PKCE); the test then
 * exchanges the code the way the web client will and calls the API with the token.
 * <p>
 * Needs Node.js with npm (the build installs playwright-core from its lock file) and
 * {@code /usr/bin/chromium} (or {@code CHROMIUM}); {@code .ci/run} installs Debian's
 * chromium. Without them the test fails: it is never skipped.
 */
@ExtendWith(StackExtension.class)
class BrowserLoginIT {

	private static final String PASSWORD = "correct horse battery staple";

	@Test
	void aPersonLogsInInChromiumAndTheWebClientGetsATokenForTheApi(Stack stack) throws Exception {
		String email = "browser-" + System.nanoTime() + "@example.com";
		HttpResponse<String> signedUp = stack.json("POST", stack.gatewayPort, "/users",
				"{\"email\": \"" + email + "\", \"password\": \"" + PASSWORD + "\"}");
		assertThat(signedUp.statusCode()).as(signedUp.body()).isEqualTo(201);
		String gateway = "http://127.0.0.1:" + stack.gatewayPort;

		String login = runBrowser(gateway, email);

		assertThat((String) JsonPath.read(login, "$.loginPage")).as("the browser is sent to the login page")
			.isEqualTo(gateway + "/login");
		assertThat((String) JsonPath.read(login, "$.afterWrongPassword")).as("a wrong password keeps it there")
			.isEqualTo(gateway + "/login?error");
		assertThat((String) JsonPath.read(login, "$.errorShown")).containsIgnoringCase("invalid credentials");
		assertThat((String) JsonPath.read(login, "$.userAgent")).contains("HeadlessChrome");
		assertThat((Boolean) JsonPath.read(login, "$.stateMatches")).isTrue();
		String code = JsonPath.read(login, "$.code");
		String verifier = JsonPath.read(login, "$.verifier");
		String redirectUri = JsonPath.read(login, "$.redirectUri");
		assertThat(code).isNotBlank();

		// A code is bound to its PKCE verifier: with the wrong one, a stolen code is
		// worth nothing.
		HttpResponse<String> wrongVerifier = exchange(stack, code, redirectUri, verifier + "x");
		assertThat(wrongVerifier.statusCode()).isEqualTo(400);
		assertThat((String) JsonPath.read(wrongVerifier.body(), "$.error")).isEqualTo("invalid_grant");

		HttpResponse<String> tokens = exchange(stack, code, redirectUri, verifier);
		assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
		String accessToken = JsonPath.read(tokens.body(), "$.access_token");
		assertThat((String) JsonPath.read(tokens.body(), "$.id_token")).isNotBlank();
		assertThat((String) JsonPath.read(tokens.body(), "$.scope")).contains("bugs:write", "users:read");

		HttpResponse<String> me = stack.send(HttpRequest.newBuilder(stack.uri(stack.gatewayPort, "/users/me"))
			.header("Authorization", "Bearer " + accessToken));
		assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
		assertThat((String) JsonPath.read(me.body(), "$.email")).isEqualTo(email);
		HttpResponse<String> reported = stack.json("POST", stack.gatewayPort, "/bugs",
				"{\"title\": \"Reported from the browser\", \"description\": \"with a token from the login page\"}",
				"Authorization", "Bearer " + accessToken);
		assertThat(reported.statusCode()).as(reported.body()).isEqualTo(201);
		assertThat(((Number) JsonPath.read(reported.body(), "$.reporterId")).longValue())
			.isEqualTo(((Number) JsonPath.read(me.body(), "$.id")).longValue());

		// A code works once.
		HttpResponse<String> again = exchange(stack, code, redirectUri, verifier);
		assertThat(again.statusCode()).isEqualTo(400);
		assertThat((String) JsonPath.read(again.body(), "$.error")).isEqualTo("invalid_grant");

		// The audit log has the wrong password and the login, in that order.
		HttpResponse<String> audit = stack.json("GET", stack.gatewayPort,
				"/auth/audit?actor=" + URLEncoder.encode(email, StandardCharsets.UTF_8) + "&sort=occurredAt", null,
				"Authorization", stack.admin().bearer());
		assertThat(audit.statusCode()).as(audit.body()).isEqualTo(200);
		assertThat((List<String>) JsonPath.read(audit.body(), "$.content[*].type")).containsExactly("LOGIN_FAILED",
				"LOGIN");
	}

	/**
	 * The web client must use PKCE: an authorization request without a code challenge is
	 * sent back to the client with {@code invalid_request}, before anyone logs in.
	 */
	@Test
	void anAuthorizationRequestWithoutPkceIsRefused(Stack stack) {
		String redirectUri = "http://127.0.0.1:" + stack.gatewayPort + "/login/oauth2/code/bugtracker-web";
		HttpResponse<String> authorize = stack.send(HttpRequest.newBuilder(stack.uri(stack.gatewayPort,
				"/oauth2/authorize?response_type=code&client_id=bugtracker-web&scope=openid&state=s1&redirect_uri="
						+ encode(redirectUri))));
		assertThat(authorize.statusCode()).isEqualTo(302);
		assertThat(authorize.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).startsWith(redirectUri + "?")
				.contains("error=invalid_request")
				.doesNotContain("code="));
	}

	private static HttpResponse<String> exchange(Stack stack, String code, String redirectUri, String verifier) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "authorization_code");
		form.put("client_id", "bugtracker-web");
		form.put("code", code);
		form.put("redirect_uri", redirectUri);
		form.put("code_verifier", verifier);
		String body = form.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + encode(entry.getValue()))
			.collect(Collectors.joining("&"));
		return stack.send(HttpRequest.newBuilder(stack.uri(stack.gatewayPort, "/oauth2/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(BodyPublishers.ofString(body)));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/** Runs login.mjs in headless Chromium; its one line of JSON. */
	private static String runBrowser(String gateway, String email) throws IOException, InterruptedException {
		Path tools = Path.of(System.getProperty("bugtracker.root", "..")).resolve("system-tests/browser");
		installTools(tools);
		Path output = Files.createTempFile("browser-login", ".json");
		Path errors = Files.createTempFile("browser-login", ".log");
		ProcessBuilder node = new ProcessBuilder("node", "login.mjs").directory(tools.toFile())
			.redirectOutput(output.toFile())
			.redirectError(errors.toFile());
		node.environment().put("GATEWAY", gateway);
		node.environment().put("EMAIL", email);
		node.environment().put("PASSWORD", PASSWORD);
		node.environment()
			.put("SCREENSHOT",
					Path.of(System.getProperty("bugtracker.workdir", "target/stack"))
						.toAbsolutePath()
						.resolve("browser-login-error.png")
						.toString());
		Process process = node.start();
		try {
			boolean done = process.waitFor(120, TimeUnit.SECONDS);
			assertThat(done)
				.as("the browser finished within 120 s; its progress: " + Files.readString(errors) + "; its output: "
						+ Files.readString(output))
				.isTrue();
			assertThat(process.exitValue()).as("login.mjs: " + Files.readString(errors)).isZero();
			List<String> lines = Files.readAllLines(output);
			assertThat(lines).as("login.mjs printed its result").isNotEmpty();
			return lines.get(lines.size() - 1);
		}
		finally {
			// Chromium's processes are login.mjs's children: end them with it.
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
			Files.deleteIfExists(output);
			Files.deleteIfExists(errors);
		}
	}

	/** playwright-core, as its lock file pins it, once per checkout. */
	private static synchronized void installTools(Path tools) throws IOException, InterruptedException {
		if (Files.isDirectory(tools.resolve("node_modules/playwright-core"))) {
			return;
		}
		Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
			.directory(tools.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		try {
			assertThat(npm.waitFor(300, TimeUnit.SECONDS)).as("npm ci in " + tools + " within 300 s").isTrue();
			assertThat(npm.exitValue()).as("npm ci in " + tools).isZero();
		}
		finally {
			npm.destroyForcibly();
		}
	}

}

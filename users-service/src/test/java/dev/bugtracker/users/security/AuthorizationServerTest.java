package dev.bugtracker.users.security;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import dev.bugtracker.platform.security.CredentialCutOffs;
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
 * The authorization server over real HTTP on PostgreSQL: discovery, the JWKS, and the
 * authorization code flow with PKCE as a browser goes through it (login page with its
 * CSRF token, session cookie, redirects), ending in a signed JWT that names the user.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "spring.grpc.client.channel.notificator.target=127.0.0.1:1",
				"bugtracker.security.admins=Root@Example.com,boss@example.com,chief@example.com,warden@example.com",
				"bugtracker.security.public-url=https://bugs.example.com" })
@Import(EmbeddedPostgresTestConfiguration.class)
class AuthorizationServerTest {

	/** The client bugs-service's credentials (its secret from application.properties). */
	private static final String BUGS_SERVICE = "Basic "
			+ Base64.getEncoder().encodeToString("bugs-service:test-only-secret".getBytes(StandardCharsets.UTF_8));

	/** Registered by default: under the public URL. */
	private static final String REDIRECT = "https://bugs.example.com/login/oauth2/code/bugtracker-web";

	@LocalServerPort
	private int port;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private CredentialCutOffs cutOffs;

	private final CookieManager cookies = new CookieManager();

	/**
	 * A browser that reaches the public URL over HTTPS through a proxy that ends TLS:
	 * this test's plain connection stands in for it, so cookies are kept and sent as for
	 * an HTTPS address (a Secure cookie included).
	 */
	private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieHandler() {

		@Override
		public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) throws IOException {
			return AuthorizationServerTest.this.cookies.get(https(uri), headers);
		}

		@Override
		public void put(URI uri, Map<String, List<String>> headers) throws IOException {
			AuthorizationServerTest.this.cookies.put(https(uri), headers);
		}

	}).followRedirects(HttpClient.Redirect.NEVER).build();

	private static URI https(URI uri) {
		return URI.create("https" + uri.toString().substring(uri.getScheme().length()));
	}

	@Test
	void theSessionCookieIsSecureWhenThePublicUrlIsHttps() throws Exception {
		// The request users-service gets is plain HTTP (the proxy ended TLS): only the
		// public URL tells that browsers use HTTPS.
		HttpResponse<String> loginPage = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(uri("/login")).header("Accept", "text/html").build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(loginPage.statusCode()).isEqualTo(200);
		assertThat(loginPage.headers().allValues("Set-Cookie")).filteredOn((cookie) -> cookie.startsWith("SESSION="))
			.singleElement()
			.satisfies((cookie) -> assertThat(cookie).contains("; Secure", "; HttpOnly"));
	}

	@Test
	void publishesItsMetadataWithThePublicUrlAsIssuerAndOnlyPublicKeys() throws Exception {
		HttpResponse<String> metadata = get("/.well-known/openid-configuration");
		assertThat(metadata.statusCode()).isEqualTo(200);
		assertThat((String) JsonPath.read(metadata.body(), "$.issuer")).isEqualTo("https://bugs.example.com");
		assertThat((String) JsonPath.read(metadata.body(), "$.jwks_uri"))
			.isEqualTo("https://bugs.example.com/oauth2/jwks");
		assertThat((String) JsonPath.read(metadata.body(), "$.token_endpoint"))
			.isEqualTo("https://bugs.example.com/oauth2/token");

		HttpResponse<String> jwks = get("/oauth2/jwks");
		assertThat(jwks.statusCode()).isEqualTo(200);
		List<Map<String, Object>> keys = JsonPath.read(jwks.body(), "$.keys");
		assertThat(keys).isNotEmpty().allSatisfy((key) -> {
			assertThat(key).containsEntry("kty", "RSA").containsEntry("alg", "RS256").containsKeys("kid", "n", "e");
			assertThat(key).doesNotContainKeys("d", "p", "q", "dp", "dq", "qi");
		});
	}

	@Test
	void aRedirectUriMustBeRegisteredCharacterForCharacterTheLoopbacksPortIncluded() throws Exception {
		String challenge = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(
					MessageDigest.getInstance("SHA-256").digest(randomString().getBytes(StandardCharsets.US_ASCII)));
		String loopback = "http://127.0.0.1:8080/login/oauth2/code/bugtracker-web";
		// Another program on the person's machine, listening on another port (Spring
		// Security's own check lets a loopback address take any port, for native apps).
		String otherPort = "http://127.0.0.1:9999/login/oauth2/code/bugtracker-web";

		HttpResponse<String> refused = get("/oauth2/authorize?" + authorization(otherPort, challenge), "text/html");
		assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
		assertThat(refused.headers().firstValue("Location")).isEmpty();
		// The registered loopback address (the local profile's) goes on to the login.
		HttpResponse<String> registered = get("/oauth2/authorize?" + authorization(loopback, challenge), "text/html");
		assertThat(registered.statusCode()).isEqualTo(302);
		assertThat(location(registered)).endsWith("/login");
	}

	private static String authorization(String redirectUri, String challenge) {
		return form(Map.of("response_type", "code", "client_id", "bugtracker-web", "redirect_uri", redirectUri, "scope",
				"openid bugs:read", "state", "s", "code_challenge", challenge, "code_challenge_method", "S256"));
	}

	@Test
	void aBrowserLogsInWithAuthorizationCodeAndPkceAndGetsASignedTokenNamingTheUser() throws Exception {
		String email = "boss@example.com";
		String password = "the boss's own password";
		HttpResponse<String> created = post("/users", "application/json",
				"{\"email\": \"" + email + "\", \"password\": \"" + password + "\"}");
		assertThat(created.statusCode()).as(created.body()).isIn(201, 409);
		// A configured admin, once the address is proven (AccountsTest proves it through
		// the emailed link).
		UserTestData.confirmAddress(this.jdbc, email);
		long userId = ((Number) JsonPath.read(
				this.http
					.send(HttpRequest.newBuilder(uri("/users/me"))
						.header("Authorization",
								"Basic " + Base64.getEncoder()
									.encodeToString((email + ":" + password).getBytes(StandardCharsets.UTF_8)))
						.build(), HttpResponse.BodyHandlers.ofString())
					.body(),
				"$.id"))
			.longValue();

		String verifier = randomString();
		String challenge = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
		String state = UUID.randomUUID().toString();
		String authorize = "/oauth2/authorize?" + form(Map.of("response_type", "code", "client_id", "bugtracker-web",
				"redirect_uri", REDIRECT, "scope", "openid bugs:read", "state", state, "code_challenge", challenge,
				"code_challenge_method", "S256"));

		HttpResponse<String> toLogin = get(authorize, "text/html");
		assertThat(toLogin.statusCode()).isEqualTo(302);
		assertThat(location(toLogin)).endsWith("/login");
		HttpResponse<String> loginPage = get("/login", "text/html");
		assertThat(loginPage.statusCode()).isEqualTo(200);
		Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(loginPage.body());
		assertThat(csrf.find()).as(loginPage.body()).isTrue();

		HttpResponse<String> wrong = post("/login", "application/x-www-form-urlencoded",
				form(Map.of("username", email, "password", "not the password", "_csrf", csrf.group(1))));
		assertThat(location(wrong)).contains("/login?error");
		HttpResponse<String> loggedIn = post("/login", "application/x-www-form-urlencoded",
				form(Map.of("username", email, "password", password, "_csrf", csrf.group(1))));
		assertThat(loggedIn.statusCode()).isEqualTo(302);
		HttpResponse<String> toClient = get(
				URI.create(location(loggedIn)).getRawPath() + "?" + URI.create(location(loggedIn)).getRawQuery(),
				"text/html");
		assertThat(toClient.statusCode()).isEqualTo(302);
		URI callback = URI.create(location(toClient));
		assertThat(callback.toString()).startsWith(REDIRECT + "?");
		Map<String, String> answer = query(callback);
		assertThat(answer).containsEntry("state", state).containsKey("code");

		Map<String, String> exchange = Map.of("grant_type", "authorization_code", "code", answer.get("code"),
				"redirect_uri", REDIRECT, "client_id", "bugtracker-web", "code_verifier", verifier);
		HttpResponse<String> token = post("/oauth2/token", "application/x-www-form-urlencoded", form(exchange));
		assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
		HttpResponse<String> again = post("/oauth2/token", "application/x-www-form-urlencoded", form(exchange));
		assertThat(again.statusCode()).as("a code is good for one exchange").isEqualTo(400);
		assertThat((String) JsonPath.read(again.body(), "$.error")).isEqualTo("invalid_grant");
		// Logged in now (the session): a second authorization is answered at once, and
		// its
		// code is worthless without the verifier of its challenge.
		HttpResponse<String> second = get(authorize, "text/html");
		Map<String, String> secondAnswer = query(URI.create(location(second)));
		HttpResponse<String> stolen = post("/oauth2/token", "application/x-www-form-urlencoded",
				form(Map.of("grant_type", "authorization_code", "code", secondAnswer.get("code"), "redirect_uri",
						REDIRECT, "client_id", "bugtracker-web", "code_verifier", randomString())));
		assertThat(stolen.statusCode()).isEqualTo(400);

		String accessToken = JsonPath.read(token.body(), "$.access_token");
		Map<String, Object> header = JsonPath.read(decode(accessToken.split("\\.")[0]), "$");
		Map<String, Object> claims = JsonPath.read(decode(accessToken.split("\\.")[1]), "$");
		assertThat(header).containsEntry("alg", "RS256").containsKey("kid");
		assertThat(claims).containsEntry("iss", "https://bugs.example.com")
			.containsEntry("sub", String.valueOf(userId))
			.containsEntry("email", email);
		assertThat((List<String>) claims.get("roles")).containsExactlyInAnyOrder("USER", "ADMIN");
		assertThat((List<String>) claims.get("aud")).as("a person's token is for the API behind the gateway")
			.containsExactlyInAnyOrder("users-service", "bugs-service");
		assertThat(((Number) claims.get("credentials_version")).longValue()).isZero();
		long lifetime = ((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue();
		assertThat(lifetime).isEqualTo(600);
		String idToken = JsonPath.read(token.body(), "$.id_token");
		Object idAudience = JsonPath.read(decode(idToken.split("\\.")[1]), "$.aud");
		assertThat(idAudience.toString()).as("the ID token's audience stays the client")
			.contains("bugtracker-web")
			.doesNotContain("bugs-service");
	}

	/**
	 * A service's token is for the services its scopes reach, and a service refuses a
	 * token that does not name it, whatever its scopes: bugs-service's token for
	 * notificator is no key to users-service.
	 */
	@Test
	void aServiceTokenIsForTheServicesItsScopesReachAndRefusedByTheOthers() throws Exception {
		String forNotificator = serviceToken("notifications:send");
		// One audience is written as a string, several as an array (RFC 7519).
		assertThat((String) JsonPath.read(decode(forNotificator.split("\\.")[1]), "$.aud"))
			.isEqualTo("notificator-service");
		String forLookups = serviceToken("users:lookup notifications:send");
		assertThat((List<String>) JsonPath.read(decode(forLookups.split("\\.")[1]), "$.aud"))
			.containsExactlyInAnyOrder("users-service", "notificator-service");

		HttpResponse<String> refused = this.http.send(HttpRequest.newBuilder(uri("/internal/users/1"))
			.header("Authorization", "Bearer " + forNotificator)
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
		HttpResponse<String> looked = this.http.send(HttpRequest.newBuilder(uri("/internal/users/999999"))
			.header("Authorization", "Bearer " + forLookups)
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(looked.statusCode()).as("known to users-service, no such user").isEqualTo(404);
	}

	/**
	 * OAuth2 token revocation (RFC 7009) and introspection (RFC 7662): a client revokes
	 * its own token, which the authorization server then reports inactive and the
	 * services refuse once they have fetched the cut-offs (here: users-service itself,
	 * which checks the token as every service does, without introspection); another
	 * client's credentials, or none, revoke nothing.
	 */
	@Test
	void aClientRevokesItsTokenAndTheAuthorizationServerAndTheServicesRefuseIt() throws Exception {
		String token = serviceToken("users:lookup");
		String other = serviceToken("users:lookup");
		assertThat(introspect(token)).as("before").isTrue();
		assertThat(lookupStatus(token)).as("a lookup with the token before").isEqualTo(404);

		HttpResponse<String> anonymous = this.http.send(HttpRequest.newBuilder(uri("/oauth2/revoke"))
			.header("Accept", "application/json")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(Map.of("token", token))))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(introspect(token)).as("after a revocation without credentials").isTrue();

		HttpResponse<String> revoked = this.http.send(HttpRequest.newBuilder(uri("/oauth2/revoke"))
			.header("Authorization", BUGS_SERVICE)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(Map.of("token", token, "token_type_hint", "access_token"))))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
		assertThat(introspect(token)).as("after the revocation").isFalse();

		this.cutOffs.refresh();
		assertThat(lookupStatus(token)).as("a lookup with the revoked token").isEqualTo(401);
		assertThat(lookupStatus(other)).as("a lookup with another token of the client").isEqualTo(404);
	}

	/** The status of a lookup of a user who does not exist, with a service's token. */
	private int lookupStatus(String token) throws Exception {
		return this.http
			.send(HttpRequest.newBuilder(uri("/internal/users/999999999"))
				.header("Authorization", "Bearer " + token)
				.build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	private boolean introspect(String token) throws Exception {
		HttpResponse<String> answer = this.http.send(HttpRequest.newBuilder(uri("/oauth2/introspect"))
			.header("Authorization", BUGS_SERVICE)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(Map.of("token", token))))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		return JsonPath.read(answer.body(), "$.active");
	}

	private String serviceToken(String scopes) throws Exception {
		HttpResponse<String> token = this.http.send(HttpRequest.newBuilder(uri("/oauth2/token"))
			.header("Authorization", BUGS_SERVICE)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString(form(Map.of("grant_type", "client_credentials", "scope", scopes))))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
		return JsonPath.read(token.body(), "$.access_token");
	}

	private static String decode(String part) {
		return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
	}

	private static String randomString() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static String form(Map<String, String> fields) {
		return fields.entrySet()
			.stream()
			.map((field) -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	private static Map<String, String> query(URI uri) {
		return java.util.Arrays.stream(uri.getRawQuery().split("&"))
			.map((pair) -> pair.split("=", 2))
			.collect(Collectors.toMap((pair) -> pair[0],
					(pair) -> java.net.URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
	}

	private static String location(HttpResponse<String> response) {
		return response.headers().firstValue("Location").orElseThrow();
	}

	private HttpResponse<String> get(String path) throws Exception {
		return get(path, "application/json");
	}

	private HttpResponse<String> get(String path, String accept) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path)).header("Accept", accept).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", contentType)
			.header("Accept", "text/html,application/json")
			.POST(BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}

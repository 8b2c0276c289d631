package dev.bugtracker.systemtests;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization server inside users-service, through the gateway: its metadata names
 * the gateway as issuer, the JWKS is the same whichever instance answers, and the login
 * page is served.
 */
@ExtendWith(StackExtension.class)
class AuthorizationServerIT {

	@Test
	void isReachedThroughTheGatewayWhichIsItsIssuer(Stack stack) {
		String gateway = "http://127.0.0.1:" + stack.gatewayPort;
		HttpResponse<String> metadata = stack.get(stack.gatewayPort, "/.well-known/openid-configuration");
		assertThat(metadata.statusCode()).as(metadata.body()).isEqualTo(200);
		assertThat((String) JsonPath.read(metadata.body(), "$.issuer")).isEqualTo(gateway);
		assertThat((String) JsonPath.read(metadata.body(), "$.authorization_endpoint"))
			.isEqualTo(gateway + "/oauth2/authorize");

		HttpResponse<String> jwks = stack.get(stack.gatewayPort, "/oauth2/jwks");
		assertThat(jwks.statusCode()).isEqualTo(200);
		List<Map<String, Object>> keys = JsonPath.read(jwks.body(), "$.keys");
		assertThat(keys).isNotEmpty().allSatisfy((key) -> assertThat(key).containsKey("kid").doesNotContainKey("d"));

		HttpResponse<String> login = stack
			.send(HttpRequest.newBuilder(stack.uri(stack.gatewayPort, "/login")).header("Accept", "text/html"));
		assertThat(login.statusCode()).isEqualTo(200);
		assertThat(login.body()).contains("name=\"username\"").contains("name=\"password\"");
	}

	/**
	 * The login redirect names the gateway, where the browser is, not the users-service
	 * instance behind it; forwarding headers a client made up are not believed.
	 */
	@Test
	void redirectsToTheLoginPageOfTheGatewayWhateverForwardingHeadersTheClientSends(Stack stack) {
		String gateway = "http://127.0.0.1:" + stack.gatewayPort;
		String authorize = "/oauth2/authorize?response_type=code&client_id=bugtracker-web&scope=openid&state=s"
				+ "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
				+ "&redirect_uri=" + java.net.URLEncoder.encode(gateway + "/login/oauth2/code/bugtracker-web",
						java.nio.charset.StandardCharsets.UTF_8);
		HttpResponse<String> plain = stack
			.send(HttpRequest.newBuilder(stack.uri(stack.gatewayPort, authorize)).header("Accept", "text/html"));
		assertThat(plain.statusCode()).isEqualTo(302);
		assertThat(plain.headers().firstValue("Location")).hasValue(gateway + "/login");

		HttpResponse<String> forged = stack.send(HttpRequest.newBuilder(stack.uri(stack.gatewayPort, authorize))
			.header("Accept", "text/html")
			.header("X-Forwarded-Host", "evil.example")
			.header("X-Forwarded-Proto", "https")
			.header("X-Forwarded-Port", "8443")
			.header("X-Forwarded-Prefix", "/evil")
			.header("X-Forwarded-For", "203.0.113.9")
			.header("Forwarded", "for=203.0.113.9;host=evil.example;proto=https"));
		assertThat(forged.statusCode()).isEqualTo(302);
		assertThat(forged.headers().firstValue("Location")).hasValue(gateway + "/login");
	}

	/**
	 * A client that names another host in its {@code Host} (which Java's HTTP client will
	 * not send: a socket does) gets the system's URLs all the same: the login redirect
	 * and the server of the OpenAPI description name the public URL, not the host it made
	 * up.
	 */
	@Test
	void aHostTheClientMakesUpReachesNoUrlTheServicesBuild(Stack stack) throws IOException {
		String gateway = "http://127.0.0.1:" + stack.gatewayPort;
		String authorize = "/oauth2/authorize?response_type=code&client_id=bugtracker-web&scope=openid&state=s"
				+ "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
				+ "&redirect_uri=" + java.net.URLEncoder.encode(gateway + "/login/oauth2/code/bugtracker-web",
						java.nio.charset.StandardCharsets.UTF_8);
		String redirect = rawGet(stack.gatewayPort, "evil.example:8443", authorize, "text/html");
		assertThat(redirect).startsWith("HTTP/1.1 302").containsIgnoringCase("\r\nLocation: " + gateway + "/login\r\n");

		String openApi = rawGet(stack.gatewayPort, "evil.example", "/api-docs/users-service", "application/json");
		assertThat(openApi).startsWith("HTTP/1.1 200").doesNotContain("evil.example");
		List<String> servers = JsonPath.read(openApi.substring(openApi.indexOf("\r\n\r\n") + 4), "$.servers[*].url");
		assertThat(servers).containsExactly(gateway);
	}

	/**
	 * A client revokes its access token at the gateway ({@code /oauth2/revoke}, RFC
	 * 7009): users-service, which checks tokens itself rather than asking the
	 * authorization server, refuses it within 30 s (its cut-off list is fetched every 10
	 * s), and goes on taking the client's other tokens.
	 */
	@Test
	void aRevokedAccessTokenIsRefusedByTheServiceWithin30Seconds(Stack stack) {
		String token = stack.serviceToken("users:lookup");
		String other = stack.serviceToken("users:lookup");
		assertThat(lookup(stack, token)).as("a lookup with the token").isEqualTo(404);

		String client = java.util.Base64.getEncoder()
			.encodeToString(("bugs-service:" + Stack.CLIENT_SECRET).getBytes(java.nio.charset.StandardCharsets.UTF_8));
		HttpResponse<String> revoked = stack.send(HttpRequest.newBuilder(stack.uri(stack.gatewayPort, "/oauth2/revoke"))
			.header("Authorization", "Basic " + client)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("token=" + token + "&token_type_hint=access_token")));
		assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
		long revokedAt = System.nanoTime();
		stack.await(Duration.ofSeconds(40), "users-service refuses the revoked token",
				() -> lookup(stack, token) == 401);
		assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThanOrEqualTo(Duration.ofSeconds(30));
		assertThat(lookup(stack, other)).as("a lookup with another token of the client").isEqualTo(404);
	}

	/** users-service's internal lookup of a user who does not exist, on its own port. */
	private static int lookup(Stack stack, String token) {
		return stack
			.send(HttpRequest.newBuilder(stack.uri(stack.usersPort, "/internal/users/999999999"))
				.header("Authorization", "Bearer " + token))
			.statusCode();
	}

	/**
	 * A GET with the given {@code Host}, over a socket: the answer as it came, a byte a
	 * character.
	 */
	private static String rawGet(int port, String host, String path, String accept) throws IOException {
		try (java.net.Socket socket = new java.net.Socket()) {
			socket.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 5000);
			socket.setSoTimeout(30_000);
			String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: " + accept
					+ "\r\nConnection: close\r\n\r\n";
			socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			String answer = new String(socket.getInputStream().readAllBytes(),
					java.nio.charset.StandardCharsets.ISO_8859_1);
			return unchunked(answer);
		}
	}

	/** The answer with a chunked body joined into one, so that the body parses. */
	private static String unchunked(String answer) {
		int end = answer.indexOf("\r\n\r\n");
		if (end < 0 || !answer.substring(0, end)
			.toLowerCase(java.util.Locale.ROOT)
			.contains("transfer-encoding: chunked")) {
			return answer;
		}
		StringBuilder body = new StringBuilder();
		int at = end + 4;
		while (true) {
			int line = answer.indexOf("\r\n", at);
			int size = Integer.parseInt(answer.substring(at, line).split(";")[0].trim(), 16);
			if (size == 0) {
				break;
			}
			body.append(answer, line + 2, line + 2 + size);
			at = line + 2 + size + 2;
		}
		return answer.substring(0, end + 4) + body;
	}

}

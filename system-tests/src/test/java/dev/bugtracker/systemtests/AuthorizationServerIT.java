package dev.bugtracker.systemtests;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

}

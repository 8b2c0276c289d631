package dev.bugtracker.systemtests;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rogue users-service, as a compromised container or a stranger on the network would
 * run one: an HTTP server that serves a JWKS of its own and answers everything else,
 * trying to register with the stack's registry as {@code USERS-SERVICE}, without
 * credentials, with a guessed password and with the read-only credentials that Prometheus
 * holds. None gets it registered, so the gateway routes nothing to it (no password, no
 * client secret, no request of any kind reaches it), and an admin token it signs is
 * refused by users-service and bugs-service, whichever key id it names.
 */
@ExtendWith(StackExtension.class)
class RogueRegistrationIT {

	@Test
	void aRogueUsersServiceCannotRegisterAndItsTokensAndTrafficGoNowhere(Stack stack) throws Exception {
		Stack.Account victim = stack.signUp("rogue-victim-" + UUID.randomUUID() + "@example.com");
		String realKid = JsonPath.read(stack.get(stack.gatewayPort, "/oauth2/jwks").body(), "$.keys[0].kid");
		// Its JWKS names its key with the real key's id.
		try (RogueUsersService rogue = new RogueUsersService("127.0.0.1", realKid)) {
			String readerBasic = Stack.REGISTRY_READER;
			String guessed = "Basic "
					+ Base64.getEncoder().encodeToString("eureka:eureka".getBytes(StandardCharsets.UTF_8));
			assertThat(register(stack, rogue, null)).as("registering without credentials").isEqualTo(401);
			assertThat(register(stack, rogue, guessed)).as("registering with a guessed password").isEqualTo(401);
			assertThat(register(stack, rogue, readerBasic)).as("registering with the read-only credentials")
				.isEqualTo(403);
			String realInstance = stack.registeredInstances("USERS-SERVICE").get(0);
			HttpResponse<String> takenDown = stack.send(HttpRequest
				.newBuilder(stack.uri(stack.registryPort,
						"/eureka/apps/USERS-SERVICE/" + realInstance + "/status?value=OUT_OF_SERVICE"))
				.header("Authorization", readerBasic)
				.PUT(HttpRequest.BodyPublishers.noBody()));
			assertThat(takenDown.statusCode()).as("taking the real instance out with the read-only credentials")
				.isEqualTo(403);
			HttpResponse<String> removed = stack.send(
					HttpRequest.newBuilder(stack.uri(stack.registryPort, "/eureka/apps/USERS-SERVICE/" + realInstance))
						.header("Authorization", readerBasic)
						.DELETE());
			assertThat(removed.statusCode()).as("deregistering the real instance with the read-only credentials")
				.isEqualTo(403);
			assertThat(stack.registeredInstances("USERS-SERVICE")).as("the registry's users-service instances")
				.containsExactly(realInstance);

			// The rogue's admin tokens, naming the real key's id and its own.
			String issuer = "http://127.0.0.1:" + stack.gatewayPort;
			for (String kid : List.of(realKid, "rogue")) {
				String forged = SecurityMatrixIT.bearer(kid, rogue.key().getPrivate(), issuer, victim.id(),
						List.of("USER", "ADMIN"), List.of("bugs:read", "bugs:write", "users:read", "users:write"),
						Instant.now(), Instant.now().plusSeconds(300));
				assertThat(stack.json("GET", stack.gatewayPort, "/users", null, "Authorization", forged).statusCode())
					.as("users-service, a token naming key %s", kid)
					.isEqualTo(401);
				assertThat(stack
					.json("POST", stack.gatewayPort, "/bugs", "{\"title\": \"Forged\"}", "Authorization", forged)
					.statusCode()).as("bugs-service, a token naming key %s", kid).isEqualTo(401);
			}
			// What would reach a registered users-service: passwords, the JWKS, token
			// requests with bugs-service's client secret (bugs-service asks for its token
			// when it looks a user up), the users API.
			for (int i = 0; i < 20; i++) {
				assertThat(stack.json("GET", stack.gatewayPort, "/users/me", null, "Authorization", victim.basic())
					.statusCode()).isEqualTo(200);
				assertThat(stack.get(stack.gatewayPort, "/oauth2/jwks").statusCode()).isEqualTo(200);
			}
			HttpResponse<String> assigned = stack.json("POST", stack.gatewayPort, "/bugs",
					"{\"title\": \"Assigned to the victim\", \"assigneeId\": " + victim.id() + "}", "Authorization",
					victim.bearer());
			assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(201);
			assertThat(rogue.received()).as("requests that reached the rogue").isEmpty();
		}
	}

	/** Registers the rogue as users-service, the way a Eureka client does. */
	private static int register(Stack stack, RogueUsersService rogue, String authorization) {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(stack.uri(stack.registryPort, "/eureka/apps/USERS-SERVICE"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(rogue.registration("127.0.0.1")));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return stack.send(request).statusCode();
	}

}

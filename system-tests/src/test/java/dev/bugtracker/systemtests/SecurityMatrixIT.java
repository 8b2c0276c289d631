package dev.bugtracker.systemtests;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route of users-service and bugs-service, through the gateway, with every kind of
 * credential, and with HEAD wherever GET is (HEAD runs the GET's handler): none, a
 * malformed token, an expired one, one signed by an unknown key, one of another issuer,
 * one for another service (notificator), a valid token of another user, a valid token
 * without the role or scope, and a valid one. Each answer must be what the rules say: 401
 * (with {@code WWW-Authenticate: Bearer} and a problem body), 403 (a problem body), 404
 * where another user's thing is not to be confirmed, or allowed, which means handled: a
 * 404 or 405 there is a rule that sends the request nowhere, and fails.
 * <p>
 * The routes come from the services' OpenAPI descriptions: a route without a rule here
 * fails the test. The tokens are made the way the authorization server makes them: the
 * expired one and the one of another issuer are signed with the server's real key, read
 * from users-service's database, so that only the claim at fault differs.
 */
@ExtendWith(StackExtension.class)
class SecurityMatrixIT {

	/** Who may call a route. */
	enum Rule {

		/** Anyone, whatever the request carries (signing up, the emailed link). */
		OPEN,
		/** Anyone without a token; a token needs a users scope (public profiles). */
		USERS_PUBLIC,
		/** Any user; a token needs users:read or users:write. */
		USERS_READ,
		/** Any user; a token needs users:write. */
		USERS_WRITE,
		/**
		 * Any user, on what is theirs, with users:write; another user's (a token of
		 * someone else) is not found, 404, rather than forbidden, which would confirm
		 * that it exists.
		 */
		USERS_OWN_WRITE,
		/**
		 * Admins only, with users:read or users:write (listing) or users:write (roles).
		 */
		ADMIN,
		/** Anyone without a token (public-read); a token needs a bugs scope. */
		BUGS_READ,
		/** Anyone without a token (anonymous-reports); a token needs bugs:write. */
		BUGS_REPORT,
		/** Any user whose token has bugs:write. */
		BUGS_WRITE,
		/** The bug's or comment's owner (or a maintainer or admin), with bugs:write. */
		BUGS_OWNER

	}

	/** The kinds of credential. */
	enum Credential {

		NONE, MALFORMED, EXPIRED, UNKNOWN_KEY, WRONG_ISSUER, WRONG_AUDIENCE, OTHER_USER, WITHOUT_ROLE_OR_SCOPE, VALID

	}

	private static final Map<String, Rule> RULES = new LinkedHashMap<>();

	static {
		RULES.put("POST /users", Rule.OPEN);
		RULES.put("POST /users/create", Rule.OPEN);
		RULES.put("GET /users", Rule.ADMIN);
		RULES.put("GET /users/{id}", Rule.USERS_PUBLIC);
		RULES.put("POST /users/password", Rule.OPEN);
		RULES.put("POST /users/password/reset", Rule.OPEN);
		RULES.put("GET /users/me", Rule.USERS_READ);
		RULES.put("POST /users/me/email-confirmation", Rule.USERS_WRITE);
		RULES.put("POST /users/me/email-confirmation/resend", Rule.USERS_WRITE);
		RULES.put("PUT /users/me/password", Rule.USERS_WRITE);
		RULES.put("POST /users/me/sign-out-everywhere", Rule.USERS_WRITE);
		RULES.put("PUT /users/{id}/roles/{role}", Rule.ADMIN);
		RULES.put("DELETE /users/{id}/roles/{role}", Rule.ADMIN);
		// Disabled, then enabled again: the owner's token is a JWT, which stays valid.
		RULES.put("PUT /users/{id}/disabled", Rule.ADMIN);
		RULES.put("DELETE /users/{id}/disabled", Rule.ADMIN);
		RULES.put("POST /auth/tokens", Rule.USERS_WRITE);
		RULES.put("GET /auth/tokens", Rule.USERS_READ);
		RULES.put("DELETE /auth/tokens/{id}", Rule.USERS_OWN_WRITE);
		RULES.put("GET /auth/audit", Rule.ADMIN);
		RULES.put("POST /bugs/create", Rule.BUGS_REPORT);
		RULES.put("POST /bugs", Rule.BUGS_WRITE);
		RULES.put("GET /bugs", Rule.BUGS_READ);
		RULES.put("GET /bugs/{id}", Rule.BUGS_READ);
		RULES.put("PATCH /bugs/{id}", Rule.BUGS_OWNER);
		RULES.put("POST /bugs/{id}/transitions", Rule.BUGS_OWNER);
		RULES.put("PUT /bugs/{id}/assignee", Rule.BUGS_OWNER);
		RULES.put("DELETE /bugs/{id}/assignee", Rule.BUGS_OWNER);
		RULES.put("PUT /bugs/{id}/watchers/{userId}", Rule.BUGS_OWNER);
		RULES.put("DELETE /bugs/{id}/watchers/{userId}", Rule.BUGS_OWNER);
		RULES.put("POST /bugs/{id}/comments", Rule.BUGS_WRITE);
		RULES.put("GET /bugs/{id}/comments", Rule.BUGS_READ);
		RULES.put("PATCH /bugs/{id}/comments/{commentId}", Rule.BUGS_OWNER);
		RULES.put("DELETE /bugs/{id}/comments/{commentId}", Rule.BUGS_OWNER);
		RULES.put("GET /bugs/{id}/history", Rule.BUGS_READ);
	}

	private static final List<String> ALL_SCOPES = List.of("bugs:read", "bugs:write", "users:read", "users:write");

	@Test
	void everyRouteHasARule(Stack stack) {
		java.util.SortedSet<String> described = stack.describedOperations();
		assertThat(RULES.keySet()).as("routes in the security matrix").containsExactlyInAnyOrderElementsOf(described);
	}

	@Test
	void everyRouteAnswersEveryCredentialAsTheRulesSay(Stack stack) throws Exception {
		Stack.Account owner = stack.signUp("matrix-owner-" + UUID.randomUUID() + "@example.com");
		Stack.Account other = stack.signUp("matrix-other-" + UUID.randomUUID() + "@example.com");
		stack.admin();
		long adminId = id(
				stack.json("GET", stack.gatewayPort, "/users/me", null, "Authorization", stack.admin().bearer()));
		SigningKey key = activeKey(stack);
		String issuer = "http://127.0.0.1:" + stack.gatewayPort;
		PrivateKey unknown = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();

		Map<Credential, String> ownerCredentials = new LinkedHashMap<>();
		ownerCredentials.put(Credential.NONE, null);
		ownerCredentials.put(Credential.MALFORMED, "Bearer not.a-jwt");
		ownerCredentials.put(Credential.EXPIRED, bearer(key.kid(), key.privateKey(), issuer, owner.id(),
				List.of("USER"), ALL_SCOPES, Instant.now().minusSeconds(900), Instant.now().minusSeconds(60)));
		ownerCredentials.put(Credential.UNKNOWN_KEY, bearer(key.kid(), unknown, issuer, owner.id(), List.of("USER"),
				ALL_SCOPES, Instant.now(), Instant.now().plusSeconds(300)));
		ownerCredentials.put(Credential.WRONG_ISSUER,
				bearer(key.kid(), key.privateKey(), "http://elsewhere.example.com", owner.id(), List.of("USER"),
						ALL_SCOPES, Instant.now(), Instant.now().plusSeconds(300)));
		// The owner's token, valid in every other way, for notificator only.
		ownerCredentials.put(Credential.WRONG_AUDIENCE,
				bearer(key.kid(), key.privateKey(), issuer, owner.id(), List.of("USER"), ALL_SCOPES, Instant.now(),
						Instant.now().plusSeconds(300), List.of("notificator-service")));
		ownerCredentials.put(Credential.OTHER_USER, bearer(key.kid(), key.privateKey(), issuer, other.id(),
				List.of("USER"), ALL_SCOPES, Instant.now(), Instant.now().plusSeconds(300)));
		// Without the scopes of the service that the route belongs to; on the admins'
		// routes, the admin's token without the users scopes (another user's token is the
		// one without the role).
		String withoutBugsScopes = bearer(key.kid(), key.privateKey(), issuer, owner.id(), List.of("USER"),
				List.of("users:read", "users:write"), Instant.now(), Instant.now().plusSeconds(300));
		String withoutUsersScopes = bearer(key.kid(), key.privateKey(), issuer, owner.id(), List.of("USER"),
				List.of("bugs:read", "bugs:write"), Instant.now(), Instant.now().plusSeconds(300));
		String adminWithoutUsersScopes = bearer(key.kid(), key.privateKey(), issuer, adminId, List.of("USER", "ADMIN"),
				List.of("bugs:read", "bugs:write"), Instant.now(), Instant.now().plusSeconds(300));
		String ownersToken = bearer(key.kid(), key.privateKey(), issuer, owner.id(), List.of("USER"), ALL_SCOPES,
				Instant.now(), Instant.now().plusSeconds(300));
		String adminsToken = bearer(key.kid(), key.privateKey(), issuer, adminId, List.of("USER", "ADMIN"), ALL_SCOPES,
				Instant.now(), Instant.now().plusSeconds(300));

		long bug = id(stack.json("POST", stack.gatewayPort, "/bugs", "{\"title\": \"Matrix\"}", "Authorization",
				ownersToken));
		long comment = id(stack.json("POST", stack.gatewayPort, "/bugs/" + bug + "/comments",
				"{\"body\": \"The owner's\"}", "Authorization", ownersToken));
		long token = id(stack.json("POST", stack.gatewayPort, "/auth/tokens",
				"{\"name\": \"matrix\", \"scopes\": [\"bugs:read\"], \"expiresInDays\": 1}", "Authorization",
				owner.basic()));

		// HEAD runs a GET's handler without sending the body: it has the GET's rule.
		Map<String, Rule> operations = new LinkedHashMap<>(RULES);
		RULES.forEach((operation, rule) -> {
			if (operation.startsWith("GET ")) {
				operations.put("HEAD " + operation.substring(4), rule);
			}
		});
		List<String> wrong = new ArrayList<>();
		int requests = 0;
		// The valid credential last: its requests change things (a comment is deleted, a
		// role granted), which the refused ones must not have done before.
		for (Credential credential : Credential.values()) {
			for (Map.Entry<String, Rule> route : operations.entrySet()) {
				String operation = route.getKey();
				String method = operation.substring(0, operation.indexOf(' '));
				String template = operation.substring(operation.indexOf(' ') + 1);
				boolean usersRoute = template.startsWith("/users");
				String path = template.replace("{role}", "MAINTAINER")
					.replace("{commentId}", String.valueOf(comment))
					.replace("{userId}", String.valueOf(owner.id()))
					.replace("{id}", template.startsWith("/auth") ? String.valueOf(token)
							: String.valueOf(usersRoute ? owner.id() : bug));
				String authorization = switch (credential) {
					case VALID -> (route.getValue() == Rule.ADMIN) ? adminsToken : ownersToken;
					case WITHOUT_ROLE_OR_SCOPE -> (route.getValue() == Rule.ADMIN) ? adminWithoutUsersScopes
							: (usersRoute || template.startsWith("/auth")) ? withoutUsersScopes : withoutBugsScopes;
					default -> ownerCredentials.get(credential);
				};
				HttpResponse<String> response = send(stack, method, path, body(operation, owner.id()), authorization);
				requests++;
				String expected = expected(route.getValue(), credential);
				String problem = check(expected, response, method.equals("HEAD"));
				if (problem != null) {
					wrong.add(operation + " with " + credential + ": expected " + expected + ", " + problem);
				}
			}
		}
		System.out.println("Security matrix: " + requests + " requests, " + wrong.size() + " wrong");
		assertThat(wrong).as("answers against the rules").isEmpty();
	}

	/** What a credential gets on a route under a rule: 401, 403 or "allowed". */
	private static String expected(Rule rule, Credential credential) {
		switch (credential) {
			case MALFORMED, EXPIRED, UNKNOWN_KEY, WRONG_ISSUER, WRONG_AUDIENCE:
				return "401";
			case NONE:
				return (rule == Rule.OPEN || rule == Rule.USERS_PUBLIC || rule == Rule.BUGS_READ
						|| rule == Rule.BUGS_REPORT) ? "allowed" : "401";
			case OTHER_USER:
				if (rule == Rule.USERS_OWN_WRITE) {
					return "404";
				}
				return (rule == Rule.ADMIN || rule == Rule.BUGS_OWNER) ? "403" : "allowed";
			case WITHOUT_ROLE_OR_SCOPE:
				return (rule == Rule.OPEN) ? "allowed" : "403";
			default:
				return "allowed";
		}
	}

	/**
	 * Every method that a route does not list, and OPTIONS, on every route's path, with
	 * no credential, the owner's token and the admin's: none may do anything. The rule of
	 * the path refuses it (401, 403) or Spring MVC does (405, or 400 where the path is
	 * another route's, such as {@code GET /users/create} for {@code GET /users/{id}});
	 * OPTIONS may answer with the methods allowed, and nothing else.
	 */
	@Test
	void everyMethodThatARouteDoesNotListIsRefusedWithEveryCredential(Stack stack) throws Exception {
		Stack.Account owner = stack.signUp("matrix-methods-" + UUID.randomUUID() + "@example.com");
		long adminId = id(
				stack.json("GET", stack.gatewayPort, "/users/me", null, "Authorization", stack.admin().bearer()));
		SigningKey key = activeKey(stack);
		String issuer = "http://127.0.0.1:" + stack.gatewayPort;
		Map<String, String> credentials = new LinkedHashMap<>();
		credentials.put("no credential", null);
		credentials.put("the owner's token", bearer(key.kid(), key.privateKey(), issuer, owner.id(), List.of("USER"),
				ALL_SCOPES, Instant.now(), Instant.now().plusSeconds(300)));
		credentials.put("the admin's token", bearer(key.kid(), key.privateKey(), issuer, adminId,
				List.of("USER", "ADMIN"), ALL_SCOPES, Instant.now(), Instant.now().plusSeconds(300)));
		long bug = id(stack.json("POST", stack.gatewayPort, "/bugs", "{\"title\": \"Methods\"}", "Authorization",
				credentials.get("the owner's token")));

		Map<String, java.util.Set<String>> listed = new java.util.TreeMap<>();
		RULES.keySet().forEach((operation) -> {
			String method = operation.substring(0, operation.indexOf(' '));
			java.util.Set<String> methods = listed.computeIfAbsent(operation.substring(operation.indexOf(' ') + 1),
					(template) -> new java.util.TreeSet<>());
			methods.add(method);
			if (method.equals("GET")) {
				methods.add("HEAD");
			}
		});
		List<String> wrong = new ArrayList<>();
		int requests = 0;
		for (Map.Entry<String, java.util.Set<String>> route : listed.entrySet()) {
			String template = route.getKey();
			String path = template.replace("{role}", "MAINTAINER")
				.replace("{commentId}", "1")
				.replace("{userId}", String.valueOf(owner.id()))
				.replace("{id}", template.startsWith("/bugs") ? String.valueOf(bug) : String.valueOf(owner.id()));
			for (String method : List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
				if (route.getValue().contains(method)) {
					continue;
				}
				for (Map.Entry<String, String> credential : credentials.entrySet()) {
					HttpResponse<String> response = send(stack, method, path,
							method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") ? null : "{}",
							credential.getValue());
					requests++;
					int status = response.statusCode();
					boolean refused = status >= 400 && status < 500;
					boolean onlyTheMethods = method.equals("OPTIONS") && (status == 200 || status == 204)
							&& response.body().isEmpty();
					if (!refused && !onlyTheMethods) {
						wrong.add(method + " " + template + " with " + credential.getKey() + ": got " + status + " "
								+ abbreviate(response.body()));
					}
					else if (status == 401
							&& !response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer")) {
						wrong.add(method + " " + template + " with " + credential.getKey()
								+ ": a 401 without a Bearer challenge");
					}
				}
			}
		}
		System.out.println("Methods that routes do not list: " + requests + " requests, " + wrong.size() + " wrong");
		assertThat(wrong).as("methods that routes do not list, answered as if they did").isEmpty();
	}

	/**
	 * @param head whether the request was a HEAD, whose answer has no body to check
	 */
	private static String check(String expected, HttpResponse<String> response, boolean head) {
		int status = response.statusCode();
		String type = response.headers().firstValue("Content-Type").orElse("");
		String got = "got " + status + " " + abbreviate(response.body());
		switch (expected) {
			case "401":
				if (status != 401 || (!head && !type.startsWith("application/problem+json"))
						|| !response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer")) {
					return got + " " + response.headers().firstValue("WWW-Authenticate").orElse("(no challenge)");
				}
				return null;
			case "403":
				return (status == 403 && (head || type.startsWith("application/problem+json"))) ? null : got;
			case "404":
				return (status == 404 && type.startsWith("application/problem+json")) ? null : got;
			default:
				// Allowed means handled: a 404 or 405 where the route should answer is a
				// rule that sent the request nowhere, not a pass.
				return (status == 401 || status == 403 || status == 404 || status == 405 || status >= 500) ? got : null;
		}
	}

	/**
	 * A valid body for each route that takes one, so that only the credential decides.
	 */
	private static String body(String operation, long user) {
		return switch (operation) {
			case "POST /users", "POST /users/create" -> "{\"email\": \"matrix-" + UUID.randomUUID() + "@example.com\"}";
			case "POST /users/password" -> "{\"token\": \"not-a-link\", \"password\": \"a long enough password\"}";
			case "POST /users/password/reset" -> "{\"email\": \"matrix-" + UUID.randomUUID() + "@example.com\"}";
			case "POST /users/me/email-confirmation" -> "{\"token\": \"not-a-link\"}";
			// A new password too short: refused before any password is checked, so that
			// the matrix adds no failed password to the login throttle's count.
			case "PUT /users/me/password" -> "{\"currentPassword\": \"not it\", \"newPassword\": \"short\"}";
			case "POST /auth/tokens" -> "{\"name\": \"matrix\", \"scopes\": [\"bugs:read\"], \"expiresInDays\": 1}";
			case "POST /bugs/create" -> "{\"bug\": \"Matrix report\"}";
			case "POST /bugs" -> "{\"title\": \"Matrix report\"}";
			case "PATCH /bugs/{id}" -> "{\"title\": \"Matrix edit\"}";
			case "POST /bugs/{id}/transitions" -> "{\"to\": \"IN_PROGRESS\"}";
			case "PUT /bugs/{id}/assignee" -> "{\"userId\": " + user + "}";
			case "POST /bugs/{id}/comments" -> "{\"body\": \"Matrix comment\"}";
			case "PATCH /bugs/{id}/comments/{commentId}" -> "{\"body\": \"Matrix edit\"}";
			default -> null;
		};
	}

	private static HttpResponse<String> send(Stack stack, String method, String path, String body,
			String authorization) {
		HttpRequest.Builder request = HttpRequest.newBuilder(stack.uri(stack.gatewayPort, path))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody())
			.header("Accept", "application/json");
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return stack.send(request);
	}

	/** The key the authorization server signs with now, from users-service's database. */
	private static SigningKey activeKey(Stack stack) throws Exception {
		try (Connection connection = stack.connect("users");
				Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("select kid, private_key from signing_key "
						+ "where activates_at <= now() and retires_at is null order by activates_at desc limit 1")) {
			assertThat(row.next()).as("an active signing key").isTrue();
			String kid = row.getString("kid");
			PrivateKey key = KeyFactory.getInstance("RSA")
				.generatePrivate(new PKCS8EncodedKeySpec(decrypt(kid, row.getString("private_key"))));
			return new SigningKey(kid, key);
		}
	}

	/**
	 * The private half of a signing key as users-service stores it: AES-256-GCM under a
	 * key derived from {@code SIGNING_KEYS_SECRET}, the key id as associated data (what
	 * an attacker with the database but without that secret cannot undo).
	 */
	private static byte[] decrypt(String kid, String stored) throws Exception {
		String[] parts = stored.split(":", 3);
		assertThat(parts).as("an encrypted key (v1:<secret id>:<nonce and ciphertext>)").hasSize(3);
		javax.crypto.Mac hmac = javax.crypto.Mac.getInstance("HmacSHA256");
		hmac.init(new javax.crypto.spec.SecretKeySpec(Stack.SIGNING_KEYS_SECRET.getBytes(StandardCharsets.UTF_8),
				"HmacSHA256"));
		byte[] aesKey = hmac.doFinal("bugtracker token signing keys v1".getBytes(StandardCharsets.UTF_8));
		byte[] bytes = Base64.getDecoder().decode(parts[2]);
		javax.crypto.Cipher aes = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
		aes.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(aesKey, "AES"),
				new javax.crypto.spec.GCMParameterSpec(128, bytes, 0, 12));
		aes.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
		return aes.doFinal(bytes, 12, bytes.length - 12);
	}

	private record SigningKey(String kid, PrivateKey privateKey) {
	}

	/**
	 * An RS256 JWT with the claims of the authorization server's access tokens, signed
	 * with the given key.
	 */
	static String bearer(String kid, PrivateKey key, String issuer, long subject, List<String> roles,
			List<String> scopes, Instant issuedAt, Instant expiresAt) throws Exception {
		return bearer(kid, key, issuer, subject, roles, scopes, issuedAt, expiresAt,
				List.of("users-service", "bugs-service"));
	}

	/** A token as the authorization server makes them, for the given audience. */
	static String bearer(String kid, PrivateKey key, String issuer, long subject, List<String> roles,
			List<String> scopes, Instant issuedAt, Instant expiresAt, List<String> audience) throws Exception {
		String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
		String claims = "{\"iss\":\"" + issuer + "\",\"aud\":" + json(audience) + ",\"sub\":\"" + subject
				+ "\",\"iat\":" + issuedAt.getEpochSecond() + ",\"nbf\":" + issuedAt.getEpochSecond() + ",\"exp\":"
				+ expiresAt.getEpochSecond() + ",\"roles\":" + json(roles) + ",\"scope\":" + json(scopes)
				+ ",\"jti\":\"" + UUID.randomUUID() + "\"}";
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		String signed = base64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
				+ base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
		Signature rsa = Signature.getInstance("SHA256withRSA");
		rsa.initSign(key);
		rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
		return "Bearer " + signed + "." + base64.encodeToString(rsa.sign());
	}

	private static String json(List<String> values) {
		return values.stream().map((value) -> "\"" + value + "\"").toList().toString().replace(" ", "");
	}

	private static long id(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
		return ((Number) JsonPath.read(response.body(), "$.id")).longValue();
	}

	private static String abbreviate(String body) {
		return (body.length() > 200) ? body.substring(0, 200) + "..." : body;
	}

}

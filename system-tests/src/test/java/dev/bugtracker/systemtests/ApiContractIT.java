package dev.bugtracker.systemtests;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One table of bad requests, run through the gateway against every endpoint of
 * users-service and bugs-service: malformed JSON, a field of the wrong type, an unknown
 * field, bad paging, a malformed id, the wrong media type and an oversized body. Each
 * must get the same answer everywhere: its 4xx status, {@code application/problem+json},
 * and the field or parameter at fault named in {@code errors[0].field}.
 * <p>
 * The endpoints come from the services' own OpenAPI descriptions: an endpoint that is not
 * in the table fails the test until it is added.
 */
@ExtendWith(StackExtension.class)
class ApiContractIT {

	/** A field of each endpoint's JSON body, and a value of the wrong type for it. */
	private static final Map<String, String> WRONG_TYPE = new LinkedHashMap<>();

	/** GET endpoints without a path parameter that answer one thing, not a page. */
	private static final List<String> UNPAGED = List.of("/users/me", "/auth/tokens");

	/** The endpoints, with nothing to say beyond what the table derives from them. */
	private static final List<String> ENDPOINTS = new ArrayList<>();

	/**
	 * A valid body of each endpoint with a path parameter and a body, so that a malformed
	 * id is the one mistake ({user} is a user's id).
	 */
	private static final Map<String, String> VALID_BODY = Map.of("PATCH /bugs/{id}", "{\"title\": \"Fine\"}",
			"POST /bugs/{id}/transitions", "{\"to\": \"IN_PROGRESS\"}", "PUT /bugs/{id}/assignee",
			"{\"userId\": {user}}", "POST /bugs/{id}/comments", "{\"body\": \"Fine\"}",
			"PATCH /bugs/{id}/comments/{commentId}", "{\"body\": \"Fine\"}");

	static {
		endpoint("POST /users", "email", "{}");
		endpoint("POST /users/create", "email", "[]");
		endpoint("GET /users", null, null);
		endpoint("GET /users/{id}", null, null);
		endpoint("POST /users/password", "token", "{}");
		endpoint("POST /users/password/reset", "email", "{}");
		endpoint("GET /users/me", null, null);
		endpoint("POST /users/me/email-confirmation", "token", "[]");
		endpoint("POST /users/me/email-confirmation/resend", null, null);
		endpoint("PUT /users/me/password", "currentPassword", "[]");
		endpoint("POST /users/me/sign-out-everywhere", null, null);
		endpoint("PUT /users/{id}/disabled", null, null);
		endpoint("DELETE /users/{id}/disabled", null, null);
		endpoint("PUT /users/{id}/roles/{role}", null, null);
		endpoint("DELETE /users/{id}/roles/{role}", null, null);
		endpoint("POST /auth/tokens", "name", "{}");
		endpoint("GET /auth/tokens", null, null);
		endpoint("DELETE /auth/tokens/{id}", null, null);
		endpoint("GET /auth/audit", null, null);
		endpoint("POST /bugs", "title", "{}");
		endpoint("POST /bugs/create", "bug", "[]");
		endpoint("GET /bugs", null, null);
		endpoint("GET /bugs/{id}", null, null);
		endpoint("PATCH /bugs/{id}", "title", "{}");
		endpoint("POST /bugs/{id}/transitions", "to", "42");
		endpoint("PUT /bugs/{id}/assignee", "userId", "\"nobody\"");
		endpoint("DELETE /bugs/{id}/assignee", null, null);
		endpoint("PUT /bugs/{id}/watchers/{userId}", null, null);
		endpoint("DELETE /bugs/{id}/watchers/{userId}", null, null);
		endpoint("POST /bugs/{id}/comments", "authorId", "\"someone\"");
		endpoint("GET /bugs/{id}/comments", null, null);
		endpoint("PATCH /bugs/{id}/comments/{commentId}", "body", "{}");
		endpoint("DELETE /bugs/{id}/comments/{commentId}", null, null);
		endpoint("GET /bugs/{id}/history", null, null);
	}

	private static void endpoint(String operation, String field, String wrongValue) {
		ENDPOINTS.add(operation);
		if (field != null) {
			WRONG_TYPE.put(operation, field + "=" + wrongValue);
		}
	}

	@Test
	void everyEndpointIsInTheTable(Stack stack) {
		java.util.SortedSet<String> described = stack.describedOperations();
		assertThat(ENDPOINTS).as("endpoints in the contract table").containsExactlyInAnyOrderElementsOf(described);
	}

	@Test
	void everyEndpointRefusesBadRequestsTheSameWay(Stack stack) {
		long user = ((Number) JsonPath.read(
				stack
					.json("POST", stack.gatewayPort, "/users",
							"{\"email\": \"contract-" + System.nanoTime() + "@example.com\"}")
					.body(),
				"$.id"))
			.longValue();
		// As the stack's admin, whom no rule stops: the endpoints that take a caller
		// refuse
		// bad requests too.
		String admin = stack.admin().bearer();
		long bug = ((Number) JsonPath
			.read(stack.json("POST", stack.gatewayPort, "/bugs", "{\"title\": \"Contract\"}", "Authorization", admin)
				.body(), "$.id"))
			.longValue();
		long comment = ((Number) JsonPath.read(
				stack
					.json("POST", stack.gatewayPort, "/bugs/" + bug + "/comments", "{\"body\": \"A comment\"}",
							"Authorization", admin)
					.body(),
				"$.id"))
			.longValue();
		Map<String, String> valid = Map.of("{id}", String.valueOf(bug), "{userId}", String.valueOf(user), "{commentId}",
				String.valueOf(comment), "{role}", "MAINTAINER");
		List<String> wrong = new ArrayList<>();
		for (String operation : ENDPOINTS) {
			String method = operation.substring(0, operation.indexOf(' '));
			String template = operation.substring(operation.indexOf(' ') + 1);
			String path = template;
			for (Map.Entry<String, String> parameter : valid.entrySet()) {
				path = path.replace(parameter.getKey(),
						(template.startsWith("/users") && parameter.getKey().equals("{id}")) ? String.valueOf(user)
								: parameter.getValue());
			}
			// A malformed id in each path parameter.
			for (String parameter : List.of("id", "userId", "commentId")) {
				if (template.contains("{" + parameter + "}")) {
					String malformed = template;
					for (Map.Entry<String, String> other : valid.entrySet()) {
						malformed = malformed.replace(other.getKey(),
								other.getKey().equals("{" + parameter + "}") ? "abc" : other.getValue());
					}
					String body = VALID_BODY.containsKey(operation)
							? VALID_BODY.get(operation).replace("{user}", String.valueOf(user)) : null;
					String type = "PATCH /bugs/{id}".equals(operation) ? "application/merge-patch+json"
							: "application/json";
					check(wrong, operation + " with a malformed " + parameter,
							send(stack, admin, method, malformed, body, type), 400, parameter);
				}
			}
			if (method.equals("GET") && !template.contains("{id}") && !UNPAGED.contains(template)
					|| template.endsWith("/comments") && method.equals("GET") || template.endsWith("/history")) {
				check(wrong, operation + " page=-1", send(stack, admin, method, path + "?page=-1", null, null), 400,
						"page");
				check(wrong, operation + " size=abc", send(stack, admin, method, path + "?size=abc", null, null), 400,
						"size");
				check(wrong, operation + " size=1000", send(stack, admin, method, path + "?size=1000", null, null), 400,
						"size");
				if (!template.contains("{id}")) {
					check(wrong, operation + " sort=secret",
							send(stack, admin, method, path + "?sort=secret", null, null), 400, "sort");
				}
			}
			String wrongType = WRONG_TYPE.get(operation);
			if (wrongType != null) {
				String field = wrongType.substring(0, wrongType.indexOf('='));
				String value = wrongType.substring(wrongType.indexOf('=') + 1);
				String type = method.equals("PATCH") && template.equals("/bugs/{id}") ? "application/merge-patch+json"
						: "application/json";
				check(wrong, operation + " malformed JSON",
						send(stack, admin, method, path, "{\"" + field + "\": ", type), 400, null);
				check(wrong, operation + " " + field + " of the wrong type",
						send(stack, admin, method, path, "{\"" + field + "\": " + value + "}", type), 400, field);
				check(wrong, operation + " an unknown field",
						send(stack, admin, method, path, "{\"notAField\": 1}", type), 400, "notAField");
				check(wrong, operation + " as text/plain", send(stack, admin, method, path, "{}", "text/plain"), 415,
						null);
				check(wrong, operation + " with 100 KB", send(stack, admin, method, path,
						"{\"" + field + "\": \"" + "x".repeat(100 * 1024) + "\"}", type), 413, null);
			}
		}
		// An oversized body is a 413 problem in every case: chunked (no declared length)
		// or
		// not, with an Idempotency-Key or without, and over the gateway's own limit.
		String big = "{\"email\": \"" + "x".repeat(100 * 1024) + "\"}";
		check(wrong, "POST /users with 100 KB, chunked", stack.send(HttpRequest
			.newBuilder(stack.uri(stack.gatewayPort, "/users"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))),
				413, null);
		check(wrong, "POST /users with 100 KB and a key",
				stack.send(HttpRequest.newBuilder(stack.uri(stack.gatewayPort, "/users"))
					.header("Content-Type", "application/json")
					.header("Idempotency-Key", "contract-oversized")
					.POST(HttpRequest.BodyPublishers.ofString(big))),
				413, null);
		assertThat(wrong).as("bad requests not refused the common way").isEmpty();
	}

	private static HttpResponse<String> send(Stack stack, String authorization, String method, String path, String body,
			String type) {
		HttpRequest.Builder request = HttpRequest.newBuilder(stack.uri(stack.gatewayPort, path))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody())
			.header("Accept", "application/json")
			.header("Authorization", authorization);
		if (type != null) {
			request.header("Content-Type", type);
		}
		return stack.send(request);
	}

	private static void check(List<String> wrong, String what, HttpResponse<String> response, int status,
			String field) {
		String problem = what + ": got " + response.statusCode() + " "
				+ response.headers().firstValue("Content-Type").orElse("(no type)") + " " + abbreviate(response.body());
		if (response.statusCode() != status
				|| !response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
			wrong.add(problem);
			return;
		}
		if (field != null) {
			List<String> fields = JsonPath.read(response.body(), "$.errors[*].field");
			if (!fields.contains(field)) {
				wrong.add(problem + " (expected errors[].field " + field + ")");
			}
		}
	}

	private static String abbreviate(String body) {
		return (body.length() > 300) ? body.substring(0, 300) + "..." : body;
	}

}

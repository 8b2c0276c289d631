package dev.bugtracker.users.user.web;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import dev.bugtracker.platform.test.EmbeddedPostgresTestConfiguration;
import dev.bugtracker.users.user.UserTestData;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code Idempotency-Key} on registration and on personal access tokens, with the real
 * filter, security, service and PostgreSQL: an answer is replayed to the caller who got
 * it only, refusals are never stored, and the records keep keyed digests only.
 */
@SpringBootTest(properties = { "eureka.client.enabled=false", "bugtracker.outbox.poll-interval=1h",
		"bugtracker.security.admins=admin-idem@example.com" })
@AutoConfigureMockMvc
@Import(EmbeddedPostgresTestConfiguration.class)
class IdempotentRegistrationTest {

	private static final String PASSWORD = "a password for idempotency";

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JdbcClient jdbc;

	@Test
	void aRepeatWithTheSameKeyReturnsTheOriginalAnswerAndCreatesNothing() throws Exception {
		String body = "{\"email\": \"idem@example.com\"}";
		MvcResult first = this.mvc.perform(
				post("/users").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", "k-1").content(body))
			.andExpect(status().isCreated())
			.andReturn();

		this.mvc.perform(
				post("/users").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", "k-1").content(body))
			.andExpect(status().isCreated())
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(header().string("Location", first.getResponse().getHeader("Location")))
			.andExpect(result -> assertThat(result.getResponse().getContentAsString())
				.isEqualTo(first.getResponse().getContentAsString()));
		assertThat(
				this.jdbc.sql("select count(*) from users where email = 'idem@example.com'").query(Long.class).single())
			.isOne();
	}

	@Test
	void concurrentRequestsWithOneKeyCreateOneUserAndAllGetItsAnswer() throws Exception {
		String body = "{\"email\": \"racing@example.com\"}";
		ExecutorService clients = Executors.newFixedThreadPool(16);
		try {
			List<Future<MvcResult>> calls = new ArrayList<>();
			CountDownLatch start = new CountDownLatch(1);
			for (int i = 0; i < 16; i++) {
				calls.add(clients.submit(() -> {
					start.await();
					return this.mvc
						.perform(post("/users").contentType(MediaType.APPLICATION_JSON)
							.header("Idempotency-Key", "k-race")
							.content(body))
						.andReturn();
				}));
			}
			start.countDown();
			Set<String> answers = new HashSet<>();
			for (Future<MvcResult> call : calls) {
				MvcResult result = call.get(30, TimeUnit.SECONDS);
				assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString())
					.isEqualTo(201);
				answers.add(result.getResponse().getContentAsString());
			}
			assertThat(answers).as("every client gets the one answer").hasSize(1);
		}
		finally {
			clients.shutdownNow();
		}
		assertThat(this.jdbc.sql("select count(*) from users where email = 'racing@example.com'")
			.query(Long.class)
			.single()).isOne();
		assertThat(this.jdbc.sql("select count(*) from email_outbox where recipient = 'racing@example.com'")
			.query(Long.class)
			.single()).as("one welcome email queued").isOne();
	}

	@Test
	void theSameKeyWithADifferentRequestGets422() throws Exception {
		this.mvc
			.perform(post("/users").contentType(MediaType.APPLICATION_JSON)
				.header("Idempotency-Key", "k-2")
				.content("{\"email\": \"first@example.com\"}"))
			.andExpect(status().isCreated());

		this.mvc
			.perform(post("/users").contentType(MediaType.APPLICATION_JSON)
				.header("Idempotency-Key", "k-2")
				.content("{\"email\": \"second@example.com\"}"))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors[0].field").value("Idempotency-Key"));
	}

	@Test
	void aStoredAnswerBelongsToItsCallerAndNobodyElseGetsIt() throws Exception {
		signUp("ann-idem@example.com");
		signUp("bob-idem@example.com");
		String body = "{\"name\": \"laptop\", \"scopes\": [\"bugs:read\"], \"expiresInDays\": 1}";
		MvcResult anns = this.mvc
			.perform(post("/auth/tokens").with(httpBasic("ann-idem@example.com", PASSWORD))
				.header("Idempotency-Key", "k-token")
				.contentType(MediaType.APPLICATION_JSON)
				.content(body))
			.andExpect(status().isCreated())
			.andReturn();
		String annsToken = JsonPath.read(anns.getResponse().getContentAsString(), "$.token");

		// Bob sends the same key and body: he gets a token of his own, not Ann's.
		MvcResult bobs = this.mvc
			.perform(post("/auth/tokens").with(httpBasic("bob-idem@example.com", PASSWORD))
				.header("Idempotency-Key", "k-token")
				.contentType(MediaType.APPLICATION_JSON)
				.content(body))
			.andExpect(status().isCreated())
			.andExpect(header().doesNotExist("Idempotent-Replayed"))
			.andReturn();
		assertThat(bobs.getResponse().getContentAsString()).doesNotContain(annsToken);
		// Nobody at all is refused before any stored answer is looked up.
		this.mvc
			.perform(post("/auth/tokens").header("Idempotency-Key", "k-token")
				.contentType(MediaType.APPLICATION_JSON)
				.content(body))
			.andExpect(status().isUnauthorized())
			.andExpect(header().doesNotExist("Idempotent-Replayed"))
			.andExpect((result) -> assertThat(result.getResponse().getContentAsString()).doesNotContain(annsToken));
		// Ann's own repeat is her answer again.
		this.mvc
			.perform(post("/auth/tokens").with(httpBasic("ann-idem@example.com", PASSWORD))
				.header("Idempotency-Key", "k-token")
				.contentType(MediaType.APPLICATION_JSON)
				.content(body))
			.andExpect(status().isCreated())
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(jsonPath("$.token").value(annsToken));
	}

	@Test
	void anAdminsStoredAnswerIsNotReplayedToAUserWhoMayNotMakeTheChange() throws Exception {
		signUp("admin-idem@example.com");
		UserTestData.confirmAddress(this.jdbc, "admin-idem@example.com");
		signUp("dan-idem@example.com");
		long dan = this.jdbc.sql("select id from users where email = 'dan-idem@example.com'")
			.query(Long.class)
			.single();
		this.mvc
			.perform(put("/users/" + dan + "/roles/MAINTAINER").with(httpBasic("admin-idem@example.com", PASSWORD))
				.header("Idempotency-Key", "k-role"))
			.andExpect(status().isOk());

		this.mvc
			.perform(put("/users/" + dan + "/roles/MAINTAINER").with(httpBasic("dan-idem@example.com", PASSWORD))
				.header("Idempotency-Key", "k-role"))
			.andExpect(status().isForbidden())
			.andExpect(header().doesNotExist("Idempotent-Replayed"));
	}

	@Test
	void aRefusedRequestIsNotStoredAndItsRetryWithValidCredentialsRuns() throws Exception {
		signUp("cat-idem@example.com");
		String body = "{\"name\": \"phone\", \"scopes\": [\"bugs:read\"], \"expiresInDays\": 1}";
		this.mvc
			.perform(post("/auth/tokens").with(httpBasic("cat-idem@example.com", "not the password"))
				.header("Idempotency-Key", "k-refused")
				.contentType(MediaType.APPLICATION_JSON)
				.content(body))
			.andExpect(status().isUnauthorized());

		this.mvc
			.perform(post("/auth/tokens").with(httpBasic("cat-idem@example.com", PASSWORD))
				.header("Idempotency-Key", "k-refused")
				.contentType(MediaType.APPLICATION_JSON)
				.content(body))
			.andExpect(status().isCreated())
			.andExpect(header().doesNotExist("Idempotent-Replayed"))
			.andExpect(jsonPath("$.token").exists());
	}

	@Test
	void recordsHoldKeyedDigestsNeitherTheKeyNorAPlainDigestOfTheBody() throws Exception {
		String body = "{\"email\": \"digest-idem@example.com\", \"password\": \"" + PASSWORD + "\"}";
		this.mvc
			.perform(post("/users").contentType(MediaType.APPLICATION_JSON)
				.header("Idempotency-Key", "k-digest")
				.content(body))
			.andExpect(status().isCreated());

		// What anyone holding a copy of the table could compute for a guessed password.
		java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
		sha256.update("POST /users?null\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
		String plain = java.util.HexFormat.of()
			.formatHex(sha256.digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
		List<String> keys = this.jdbc.sql("select idempotency_key from idempotency_key").query(String.class).list();
		List<String> fingerprints = this.jdbc.sql("select fingerprint from idempotency_key").query(String.class).list();
		assertThat(keys).isNotEmpty().doesNotContain("k-digest");
		assertThat(fingerprints).isNotEmpty().doesNotContain(plain);
	}

	private void signUp(String email) throws Exception {
		this.mvc
			.perform(post("/users").contentType(MediaType.APPLICATION_JSON)
				.content("{\"email\": \"" + email + "\", \"password\": \"" + PASSWORD + "\"}"))
			.andExpect(status().isCreated());
	}

	@Test
	void aClientErrorIsRememberedTooAndAMalformedKeyIsRefused() throws Exception {
		for (int i = 0; i < 2; i++) {
			this.mvc
				.perform(post("/users/create").contentType(MediaType.APPLICATION_FORM_URLENCODED)
					.header("Idempotency-Key", "k-3")
					.content("{\"email\": \"test\"}"))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.errors[0].field").value("email"));
		}
		this.mvc
			.perform(post("/users").contentType(MediaType.APPLICATION_JSON)
				.header("Idempotency-Key", "has spaces")
				.content("{\"email\": \"x@example.com\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("Idempotency-Key"));
	}

}

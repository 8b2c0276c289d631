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

import dev.bugtracker.platform.test.EmbeddedPostgresTestConfiguration;
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
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code Idempotency-Key} on registration, with the real filter, service and PostgreSQL.
 */
@SpringBootTest(properties = { "eureka.client.enabled=false", "bugtracker.outbox.poll-interval=1h" })
@AutoConfigureMockMvc
@Import(EmbeddedPostgresTestConfiguration.class)
class IdempotentRegistrationTest {

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

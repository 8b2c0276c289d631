package dev.bugtracker.users.user.web;

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

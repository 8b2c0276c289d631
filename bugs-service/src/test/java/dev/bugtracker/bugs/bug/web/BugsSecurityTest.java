package dev.bugtracker.bugs.bug.web;

import dev.bugtracker.bugs.bug.BugService;
import dev.bugtracker.bugs.security.SecurityConfiguration;
import dev.bugtracker.platform.security.CredentialCutOffs;
import dev.bugtracker.platform.web.WebSupportAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.cloud.client.loadbalancer.LoadBalancerInterceptor;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.head;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The bugs API as the k8s profile has it: no public reading, no anonymous reports.
 */
@WebMvcTest(controllers = BugController.class,
		properties = { "bugtracker.security.public-url=http://localhost:8080", "bugtracker.security.public-read=false",
				"bugtracker.security.anonymous-reports=false" })
@ImportAutoConfiguration(WebSupportAutoConfiguration.class)
@Import({ SecurityConfiguration.class, SimpleMeterRegistry.class })
class BugsSecurityTest {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MeterRegistry meters;

	@MockitoBean
	private BugService bugs;

	/** The signing keys are never fetched here: the tokens come decoded. */
	@MockitoBean
	private LoadBalancerInterceptor loadBalancer;

	/** Nobody's credentials were cut off: the list is not fetched here. */
	@MockitoBean
	private CredentialCutOffs cutOffs;

	@Test
	void readingAndTheTutorialsReportTakeAToken() throws Exception {
		this.mvc.perform(get("/bugs/3"))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate", "Bearer"))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
		this.mvc.perform(get("/bugs/3/comments")).andExpect(status().isUnauthorized());
		this.mvc.perform(post("/bugs/create").contentType(MediaType.APPLICATION_JSON).content("{\"bug\": \"t\"}"))
			.andExpect(status().isUnauthorized());
		this.mvc.perform(get("/bugs/3").with(BugControllerTest.user(1, "users:read")))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value("This needs a token with the scope bugs:read or bugs:write"));
		verifyNoInteractions(this.bugs);
	}

	@Test
	void headIsAReadAndTakesTheReadingRuleNotTheWritingOne() throws Exception {
		org.mockito.BDDMockito.given(this.bugs.get(3L)).willReturn(dev.bugtracker.bugs.bug.BugTestData.bug(3, "t", 7));

		this.mvc.perform(head("/bugs/3")).andExpect(status().isUnauthorized());
		this.mvc.perform(head("/bugs/3").with(BugControllerTest.user(1, "bugs:read"))).andExpect(status().isOk());
		this.mvc.perform(head("/bugs/3").with(BugControllerTest.user(1, "users:read")))
			.andExpect(status().isForbidden());
		// Any other method on a bug is a write.
		this.mvc.perform(request(HttpMethod.OPTIONS, "/bugs/3").with(BugControllerTest.user(1, "bugs:read")))
			.andExpect(status().isForbidden());
	}

	@Test
	void aMalformedTokenIs401NotAnErrorAndIsCounted() throws Exception {
		double refused = this.meters.get("bugtracker.token.failures").tag("kind", "access-token").counter().count();

		this.mvc.perform(get("/bugs/3").header("Authorization", "Bearer not-a-jwt"))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate",
					org.hamcrest.Matchers.startsWith("Bearer error=\"invalid_token\"")));
		verifyNoInteractions(this.bugs);
		assertThat(this.meters.get("bugtracker.token.failures").tag("kind", "access-token").counter().count())
			.isEqualTo(refused + 1);
	}

	@Test
	void theOpenApiDescriptionStaysOpen() throws Exception {
		this.mvc.perform(get("/v3/api-docs"))
			.andExpect((result) -> org.assertj.core.api.Assertions.assertThat(result.getResponse().getStatus())
				.isNotIn(401, 403));
	}

}

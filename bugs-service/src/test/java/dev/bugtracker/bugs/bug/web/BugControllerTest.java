package dev.bugtracker.bugs.bug.web;

import java.util.List;

import dev.bugtracker.bugs.bug.Actor;
import dev.bugtracker.bugs.bug.BugEdit;
import dev.bugtracker.bugs.bug.BugService;
import dev.bugtracker.bugs.bug.BugTestData;
import dev.bugtracker.bugs.bug.NewBug;
import dev.bugtracker.bugs.bug.Status;
import dev.bugtracker.bugs.bug.UsersUnavailableException;
import dev.bugtracker.bugs.security.SecurityConfiguration;
import dev.bugtracker.platform.security.CredentialCutOffs;
import dev.bugtracker.platform.security.TokenAuthorities;
import dev.bugtracker.platform.web.WebSupportAutoConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.cloud.client.loadbalancer.LoadBalancerInterceptor;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The HTTP mapping of bugs: media types, ETags, merge patches, strict paging and
 * problems.
 */
@WebMvcTest(controllers = BugController.class,
		properties = { "bugtracker.security.public-url=http://localhost:8080", "bugtracker.security.public-read=true",
				"bugtracker.security.anonymous-reports=true" })
@ImportAutoConfiguration(WebSupportAutoConfiguration.class)
@Import({ SecurityConfiguration.class, SimpleMeterRegistry.class })
class BugControllerTest {

	private static final MediaType MERGE_PATCH = MediaType.parseMediaType("application/merge-patch+json");

	@Autowired
	private MockMvc mvc;

	@MockitoBean
	private BugService bugs;

	/** The signing keys are never fetched here: the tokens come decoded. */
	@MockitoBean
	private LoadBalancerInterceptor loadBalancer;

	/** Nobody's credentials were cut off: the list is not fetched here. */
	@MockitoBean
	private CredentialCutOffs cutOffs;

	@Test
	void reportsTheTutorialsFormEncodedBugAnonymously() throws Exception {
		given(this.bugs.report(new NewBug("Login button does nothing", null, null, null, null, null, null)))
			.willReturn(BugTestData.bug(3, "Login button does nothing", 0));

		this.mvc
			.perform(post("/bugs/create").contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.content("{\"bug\": \"Login button does nothing\"}"))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", "/bugs/3"))
			.andExpect(header().string("ETag", "\"0\""))
			.andExpect(jsonPath("$.key").value("BUG-3"))
			.andExpect(jsonPath("$.status").value("OPEN"))
			.andExpect(jsonPath("$.priority").value("MEDIUM"))
			.andExpect(jsonPath("$.severity").value("MAJOR"));
	}

	@Test
	void readsByKeyWithAnETag() throws Exception {
		given(this.bugs.get(3L)).willReturn(BugTestData.bug(3, "t", 7));

		this.mvc.perform(get("/bugs/BUG-3")).andExpect(status().isOk()).andExpect(header().string("ETag", "\"7\""));
	}

	@Test
	void refusesAMalformedIdWith400NamingItAndAnUnknownOneWith404() throws Exception {
		given(this.bugs.get(99L)).willThrow(new dev.bugtracker.bugs.bug.BugNotFoundException(99L));

		this.mvc.perform(get("/bugs/abc"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.errors[0].field").value("id"));
		this.mvc.perform(get("/bugs/BUG-99")).andExpect(status().isNotFound());
	}

	@Test
	void passesTheIfMatchVersionAndAnswersAStaleOneWith412() throws Exception {
		given(this.bugs.edit(eq(3L), any(BugEdit.class), eq(0L), eq(Actor.user(1)))).willThrow(BugTestData.stale(3));

		this.mvc
			.perform(patch("/bugs/3").contentType(MERGE_PATCH)
				.header("If-Match", "\"0\"")
				.with(user(1, "bugs:write"))
				.content("{\"title\": \"New\"}"))
			.andExpect(status().isPreconditionFailed())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
	}

	@Test
	void refusesPatchingFieldsThatHaveTheirOwnEndpoint() throws Exception {
		this.mvc
			.perform(patch("/bugs/3").contentType(MERGE_PATCH)
				.with(user(1, "bugs:write"))
				.content("{\"status\": \"CLOSED\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("status"));
		this.mvc
			.perform(patch("/bugs/3").contentType(MERGE_PATCH)
				.with(user(1, "bugs:write"))
				.content("{\"priority\": \"URGENT\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("priority"));
		this.mvc.perform(patch("/bugs/3").contentType(MERGE_PATCH).with(user(1, "bugs:write")).content("{\"title\": "))
			.andExpect(status().isBadRequest());
		verifyNoInteractions(this.bugs);
	}

	@Test
	void answersAMoveOutsideTheWorkflowWith409ListingTheAllowedMoves() throws Exception {
		given(this.bugs.transition(3L, Status.OPEN, null, null, Actor.user(2))).willThrow(BugTestData.notAllowed());

		this.mvc
			.perform(post("/bugs/3/transitions").contentType(MediaType.APPLICATION_JSON)
				.with(user(2, "bugs:write"))
				.content("{\"to\": \"OPEN\"}"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.allowedMoves[0]").value("RESOLVED"));
	}

	@Test
	void answersAnUnavailableUsersServiceWith503AndRetryAfter() throws Exception {
		given(this.bugs.report(any())).willThrow(new UsersUnavailableException("down", null));

		this.mvc
			.perform(post("/bugs").contentType(MediaType.APPLICATION_JSON)
				.with(user(1, "bugs:write"))
				.content("{\"title\": \"t\", \"reporterId\": 1}"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(header().exists("Retry-After"));
	}

	@Test
	void refusesBadPagingAndSortingWith400NamingTheParameter() throws Exception {
		this.mvc.perform(get("/bugs?size=101"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("size"));
		this.mvc.perform(get("/bugs?page=-1"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("page"));
		this.mvc.perform(get("/bugs?page=abc"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("page"));
		this.mvc.perform(get("/bugs?sort=reporterEmail,desc"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("sort"));
		this.mvc.perform(get("/bugs?status=DONE"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("status"));
		this.mvc.perform(get("/bugs?assignee=someone"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("assignee"));
		verifyNoInteractions(this.bugs);
	}

	@Test
	void sortsByFieldAndDirection() throws Exception {
		given(this.bugs.search(any(), any())).willReturn(org.springframework.data.domain.Page.empty());

		this.mvc.perform(get("/bugs?sort=priority,desc&sort=id")).andExpect(status().isOk());

		org.mockito.Mockito.verify(this.bugs)
			.search(any(),
					eq(org.springframework.data.domain.PageRequest.of(0, 20,
							org.springframework.data.domain.Sort.by(
									org.springframework.data.domain.Sort.Order.desc("priority"),
									org.springframework.data.domain.Sort.Order.asc("id")))));
	}

	@Test
	void refusesOverlongTitlesWith400() throws Exception {
		this.mvc
			.perform(post("/bugs").contentType(MediaType.APPLICATION_JSON)
				.with(user(1, "bugs:write"))
				.content("{\"title\": \"" + "x".repeat(201) + "\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("title"));
	}

	@Test
	void refusesActingAsSomeoneElseWith403() throws Exception {
		this.mvc
			.perform(post("/bugs").contentType(MediaType.APPLICATION_JSON)
				.with(user(1, "bugs:write"))
				.content("{\"title\": \"t\", \"reporterId\": 2}"))
			.andExpect(status().isForbidden())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("reporterId")));
		this.mvc
			.perform(post("/bugs/3/comments").contentType(MediaType.APPLICATION_JSON)
				.with(user(1, "bugs:write"))
				.content("{\"authorId\": 2, \"body\": \"Not me\"}"))
			.andExpect(status().isForbidden());
		verifyNoInteractions(this.bugs);
	}

	@Test
	void reportsAsTheTokensUserAndReadsAnonymously() throws Exception {
		given(this.bugs.report(new NewBug("Mine", null, null, null, 7L, null, null)))
			.willReturn(BugTestData.bug(4, "Mine", 0));
		given(this.bugs.get(4L)).willReturn(BugTestData.bug(4, "Mine", 0));

		this.mvc
			.perform(post("/bugs").contentType(MediaType.APPLICATION_JSON)
				.with(user(7, "bugs:write"))
				.content("{\"title\": \"Mine\"}"))
			.andExpect(status().isCreated());
		this.mvc.perform(get("/bugs/4")).andExpect(status().isOk());
	}

	@Test
	void answersChangesWithoutATokenWith401AndATokenWithoutTheScopeWith403() throws Exception {
		this.mvc.perform(patch("/bugs/3").contentType(MERGE_PATCH).content("{\"title\": \"New\"}"))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate", "Bearer"))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
		this.mvc.perform(
				patch("/bugs/3").contentType(MERGE_PATCH).with(user(1, "bugs:read")).content("{\"title\": \"New\"}"))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value("This needs a token with the scope bugs:write"));
		// The tutorial's report is open, but a token without the scope does not act for
		// its user.
		this.mvc
			.perform(post("/bugs/create").contentType(MediaType.APPLICATION_JSON)
				.with(user(1, "users:read"))
				.content("{\"bug\": \"t\"}"))
			.andExpect(status().isForbidden());
		verifyNoInteractions(this.bugs);
	}

	/**
	 * @param id the user
	 * @param scopes what their token allows
	 * @return a request with their access token (already decoded: the decoder is tested
	 * against real tokens in the system tests)
	 */
	static RequestPostProcessor user(long id, String... scopes) {
		return jwt().jwt((token) -> token.subject(String.valueOf(id)).claim("scope", List.of(scopes)))
			.authorities(TokenAuthorities::of);
	}

}

package dev.bugtracker.users.user.web;

import java.time.Instant;
import java.util.List;

import dev.bugtracker.platform.web.WebSupportAutoConfiguration;
import dev.bugtracker.users.security.Callers;
import dev.bugtracker.users.security.PasswordChecks;
import dev.bugtracker.users.security.SecurityConfiguration;
import dev.bugtracker.users.user.User;
import dev.bugtracker.users.user.UserService;
import dev.bugtracker.users.user.UserTestData;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
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
 * The HTTP mapping of users: status codes, media types and problem bodies.
 */
@WebMvcTest({ UserController.class, InternalUserController.class })
@ImportAutoConfiguration(WebSupportAutoConfiguration.class)
@Import({ SecurityConfiguration.class, Callers.class, PasswordChecks.class, SimpleMeterRegistry.class })
class UserControllerTest {

	private static final User ALICE = UserTestData.user(7L, "alice@example.com", "Alice",
			Instant.parse("2026-11-21T10:00:00Z"));

	@Autowired
	private MockMvc mvc;

	@MockitoBean
	private UserService users;

	/** The access tokens are checked by the authorization server's decoder, not here. */
	@MockitoBean
	private JwtDecoder jwtDecoder;

	@Test
	void acceptsTheTutorialsFormEncodedJsonWith201AndLocation() throws Exception {
		given(this.users.register("alice@example.com", null, null)).willReturn(ALICE);

		this.mvc
			.perform(post("/users/create").contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.content("{\"email\": \"alice@example.com\"}"))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", "/users/7"))
			.andExpect(content().contentType(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.id").value(7))
			.andExpect(jsonPath("$.email").value("alice@example.com"))
			.andExpect(jsonPath("$.displayName").value("Alice"))
			.andExpect(jsonPath("$.createdAt").value("2026-11-21T10:00:00Z"));
	}

	@Test
	void acceptsJsonOnTheRestEndpoint() throws Exception {
		given(this.users.register("alice@example.com", "Alice", null)).willReturn(ALICE);

		this.mvc
			.perform(post("/users").contentType(MediaType.APPLICATION_JSON)
				.content("{\"email\": \"alice@example.com\", \"displayName\": \"Alice\"}"))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", "/users/7"));
	}

	@Test
	void rejectsTheTutorialsInvalidEmailWith400NamingTheField() throws Exception {
		this.mvc
			.perform(post("/users/create").contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.content("{\"email\": \"test\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.errors[0].field").value("email"))
			.andExpect(jsonPath("$.detail").value("'email' must be a valid email address"));
		verifyNoInteractions(this.users);
	}

	@Test
	void rejectsMissingEmailWith400() throws Exception {
		this.mvc.perform(post("/users").contentType(MediaType.APPLICATION_JSON).content("{}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("email"));
	}

	@Test
	void rejectsMalformedJsonWith400() throws Exception {
		this.mvc.perform(post("/users").contentType(MediaType.APPLICATION_JSON).content("{\"email\": "))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("Malformed JSON at line 1")));
	}

	@Test
	void rejectsWrongTypeWith400NamingTheField() throws Exception {
		this.mvc.perform(post("/users").contentType(MediaType.APPLICATION_JSON).content("{\"email\": [\"a@b.co\"]}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("email"))
			.andExpect(jsonPath("$.detail").value("'email' has the wrong type; expected a string"));
	}

	@Test
	void rejectsUnknownFieldWith400NamingIt() throws Exception {
		this.mvc.perform(post("/users").contentType(MediaType.APPLICATION_JSON).content("{\"emial\": \"a@b.co\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("emial"));
	}

	@Test
	void rejectsNonObjectBodyWith400() throws Exception {
		this.mvc.perform(post("/users").contentType(MediaType.APPLICATION_JSON).content("[]"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").value("Request body must be a JSON object"));
	}

	@Test
	void rejectsFormEncodedBodyOnTheRestEndpointWith415() throws Exception {
		this.mvc
			.perform(post("/users").contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.content("{\"email\": \"a@b.co\"}"))
			.andExpect(status().isUnsupportedMediaType())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
	}

	@Test
	void rejectsOversizeBodyWith413() throws Exception {
		String huge = "{\"email\": \"" + "a".repeat(70_000) + "@b.co\"}";
		this.mvc.perform(post("/users").contentType(MediaType.APPLICATION_JSON).content(huge))
			.andExpect(status().is(413))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
	}

	@Test
	void rejectsDuplicateEmailWith409() throws Exception {
		given(this.users.register(eq("alice@example.com"), any(), any()))
			.willThrow(UserTestData.emailTaken("alice@example.com"));

		this.mvc
			.perform(post("/users").contentType(MediaType.APPLICATION_JSON)
				.content("{\"email\": \"alice@example.com\"}"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.errors[0].field").value("email"));
	}

	@Test
	void answersUnknownIdWith404AndNonNumericIdWith400() throws Exception {
		given(this.users.get(99)).willThrow(UserTestData.notFound(99));

		this.mvc.perform(get("/users/99"))
			.andExpect(status().isNotFound())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
		this.mvc.perform(get("/users/abc"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("id"));
	}

	@Test
	void listsUsersAsPagedModelWithThePageTheClientAskedFor() throws Exception {
		given(this.users.list(eq("alice@example.com"), any()))
			.willAnswer((call) -> new PageImpl<>(List.of(ALICE), call.getArgument(1, Pageable.class), 1));

		this.mvc
			.perform(get("/users").with(admin())
				.param("email", "alice@example.com")
				.param("size", "5")
				.param("sort", "email,desc"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.content[0].email").value("alice@example.com"))
			.andExpect(jsonPath("$.page.size").value(5))
			.andExpect(jsonPath("$.page.number").value(0))
			.andExpect(jsonPath("$.page.totalElements").value(1));
		then(this.users).should().list("alice@example.com", PageRequest.of(0, 5, Sort.by(Sort.Order.desc("email"))));
	}

	@Test
	void pagesByTheDocumentedDefaults() throws Exception {
		given(this.users.list(any(), any()))
			.willAnswer((call) -> new PageImpl<>(List.of(ALICE), call.getArgument(1, Pageable.class), 1));

		this.mvc.perform(get("/users").with(admin())).andExpect(status().isOk());
		then(this.users).should().list(null, PageRequest.of(0, 20, Sort.by("id")));
	}

	@Test
	void refusesBadPagingWith400NamingTheParameterInsteadOfCorrectingIt() throws Exception {
		for (String[] bad : new String[][] { { "page", "-1" }, { "size", "abc" }, { "size", "0" }, { "size", "101" },
				{ "sort", "password" }, { "sort", "desc" }, { "page", "x" } }) {
			this.mvc.perform(get("/users").with(admin()).param(bad[0], bad[1]))
				.andExpect(status().isBadRequest())
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.errors[0].field").value(bad[0]));
		}
		verifyNoInteractions(this.users);
	}

	@Test
	void listingUsersTakesAnAdminAndOthersSeeAProfileWithoutTheEmailAddress() throws Exception {
		given(this.users.get(7L)).willReturn(ALICE);

		this.mvc.perform(get("/users"))
			.andExpect(status().isUnauthorized())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
		this.mvc
			.perform(get("/users")
				.with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt()
					.jwt((token) -> token.subject("8"))))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value("This needs the role ADMIN"));
		this.mvc.perform(get("/users/7"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.displayName").value("Alice"))
			.andExpect(jsonPath("$.email").doesNotExist());
		this.mvc
			.perform(
					get("/users/7").with(
							org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors
								.jwt()
								.jwt((token) -> token.subject("7"))
								.authorities(new org.springframework.security.core.authority.SimpleGrantedAuthority(
										"SCOPE_users:read"))))
			.andExpect(jsonPath("$.email").value("alice@example.com"));
		this.mvc
			.perform(get("/users/7")
				.with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt()
					.jwt((token) -> token.subject("7"))
					.authorities(new org.springframework.security.core.authority.SimpleGrantedAuthority(
							"SCOPE_bugs:write"))))
			.andExpect(status().isForbidden())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
		this.mvc.perform(get("/users/7").with(admin())).andExpect(jsonPath("$.email").value("alice@example.com"));
		verify(this.users, never()).list(any(), any());
	}

	@Test
	void headAndMethodsWithoutAHandlerMeetTheRuleOfTheirPathBeforeAnyHandlerRuns() throws Exception {
		// HEAD runs the GET handler: the admins' listing refuses a HEAD as it refuses a
		// GET, and lists nothing.
		this.mvc.perform(head("/users"))
			.andExpect(status().isUnauthorized())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
		this.mvc.perform(head("/users")
			.with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt()
				.jwt((token) -> token.subject("8"))))
			.andExpect(status().isForbidden());
		for (HttpMethod method : List.of(HttpMethod.OPTIONS, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE)) {
			this.mvc.perform(request(method, "/users")).andExpect(status().isUnauthorized());
			this.mvc.perform(request(method, "/users/me")).andExpect(status().isUnauthorized());
			this.mvc.perform(request(method, "/users/7/roles/ADMIN/x")).andExpect(status().isUnauthorized());
		}
		// Past the rule, a method that the route does not list is Spring MVC's 405.
		this.mvc.perform(request(HttpMethod.DELETE, "/users").with(admin())).andExpect(status().isMethodNotAllowed());
		this.mvc.perform(request(HttpMethod.PUT, "/users/7")).andExpect(status().isUnauthorized());
		verify(this.users, never()).list(any(), any());
		verifyNoInteractions(this.users);
	}

	private static org.springframework.test.web.servlet.request.RequestPostProcessor admin() {
		return org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user("root")
			.roles("USER", "ADMIN");
	}

	@Test
	void internalLookupsTakeAServiceTokenWithTheLookupScope() throws Exception {
		given(this.users.get(7L)).willReturn(ALICE);

		this.mvc.perform(get("/internal/users/7")).andExpect(status().isUnauthorized());
		this.mvc.perform(get("/internal/users/7").with(admin())).andExpect(status().isForbidden());
		this.mvc
			.perform(get("/internal/users/7")
				.with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt()
					.jwt((token) -> token.subject("bugs-service"))
					.authorities(new org.springframework.security.core.authority.SimpleGrantedAuthority(
							"SCOPE_users:lookup"))))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.email").value("alice@example.com"));
		given(this.users.get(99L)).willThrow(new dev.bugtracker.users.user.UserNotFoundException(99L));
		this.mvc.perform(get("/internal/users/99")
			.with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt()
				.jwt((token) -> token.subject("bugs-service"))
				.authorities(
						new org.springframework.security.core.authority.SimpleGrantedAuthority("SCOPE_users:lookup"))))
			.andExpect(status().isNotFound());
	}

	@Test
	void refusesPasswordsLongerThanBcryptReadsWith400NamingThem() throws Exception {
		for (String password : new String[] { "x".repeat(73), "é".repeat(40) }) {
			this.mvc
				.perform(post("/users").contentType(MediaType.APPLICATION_JSON)
					.content("{\"email\": \"long@example.com\", \"password\": \"" + password + "\"}"))
				.andExpect(status().isBadRequest())
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.errors[0].field").value("password"));
		}
		verifyNoInteractions(this.users);
	}

}

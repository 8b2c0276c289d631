package dev.bugtracker.bugs.bug.web;

import dev.bugtracker.bugs.bug.BugService;
import dev.bugtracker.bugs.bug.BugTestData;
import dev.bugtracker.platform.web.WebSupportAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The HTTP mapping of bugs.
 */
@WebMvcTest(BugController.class)
@ImportAutoConfiguration(WebSupportAutoConfiguration.class)
class BugControllerTest {

	@Autowired
	private MockMvc mvc;

	@MockitoBean
	private BugService bugs;

	@Test
	void reportsTheTutorialsFormEncodedBugWith201() throws Exception {
		given(this.bugs.report("Login button does nothing"))
			.willReturn(BugTestData.bug(3L, "Login button does nothing"));

		this.mvc
			.perform(post("/bugs/create").contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.content("{\"bug\": \"Login button does nothing\"}"))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", "/bugs/3"))
			.andExpect(jsonPath("$.id").value(3))
			.andExpect(jsonPath("$.title").value("Login button does nothing"));
	}

	@Test
	void rejectsBlankAndOverlongTitlesWith400NamingTheField() throws Exception {
		this.mvc.perform(post("/bugs/create").contentType(MediaType.APPLICATION_JSON).content("{\"bug\": \"  \"}"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.errors[0].field").value("bug"));
		this.mvc
			.perform(post("/bugs/create").contentType(MediaType.APPLICATION_JSON)
				.content("{\"bug\": \"" + "x".repeat(201) + "\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("bug"));
		verifyNoInteractions(this.bugs);
	}

	@Test
	void answersUnknownBugWith404Problem() throws Exception {
		given(this.bugs.get(42)).willThrow(BugTestData.notFound(42));

		this.mvc.perform(get("/bugs/42"))
			.andExpect(status().isNotFound())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value("Bug 42 does not exist"));
	}

}

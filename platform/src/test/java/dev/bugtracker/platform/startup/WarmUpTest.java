package dev.bugtracker.platform.startup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import io.micrometer.observation.ObservationPredicate;

import static org.assertj.core.api.Assertions.assertThat;

class WarmUpTest {

	@Test
	void theConfiguredRequestsReachTheServiceBeforeItIsReady() {
		try (ConfigurableApplicationContext context = start("bugtracker.warm-up.rounds=3")) {
			Probe probe = context.getBean(Probe.class);
			assertThat(probe.seen).containsExactly("GET /probe REFUSING_TRAFFIC",
					"POST /probe {\"a\": 1} REFUSING_TRAFFIC", "GET /probe REFUSING_TRAFFIC",
					"POST /probe {\"a\": 1} REFUSING_TRAFFIC", "GET /probe REFUSING_TRAFFIC",
					"POST /probe {\"a\": 1} REFUSING_TRAFFIC");
			assertThat(context.getBean(ApplicationAvailability.class).getReadinessState())
				.isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
		}
	}

	@Test
	void aRequestThatCannotBeSentEndsTheWarmUpNotTheStart() {
		// HttpURLConnection refuses a method it does not know before anything is sent.
		try (ConfigurableApplicationContext context = start("bugtracker.warm-up.requests[2].method=BREW",
				"bugtracker.warm-up.requests[2].path=/probe")) {
			assertThat(context.getBean(Probe.class).seen).containsExactly("GET /probe REFUSING_TRAFFIC",
					"POST /probe {\"a\": 1} REFUSING_TRAFFIC");
			assertThat(context.getBean(ApplicationAvailability.class).getReadinessState())
				.isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
		}
	}

	@Test
	void turnedOffItSendsNothing() {
		try (ConfigurableApplicationContext context = start("bugtracker.warm-up.enabled=false")) {
			assertThat(context.getBean(Probe.class).seen).isEmpty();
		}
	}

	@Test
	void onlyItsOwnRequestsAreLeftUnobserved() {
		try (ConfigurableApplicationContext context = start("bugtracker.warm-up.rounds=1")) {
			ObservationPredicate predicate = context.getBean("warmUpRequestsUnobserved", ObservationPredicate.class);
			String secret = context.getBean(Probe.class).secrets.get(0);

			assertThat(predicate.test("http.server.requests", observed(secret))).isFalse();
			assertThat(predicate.test("http.server.requests", observed(null))).isTrue();
			assertThat(predicate.test("http.server.requests", observed("a guess"))).as("a forged header").isTrue();
			assertThat(context.getBean(WarmUp.class).isWarmUp(secret)).isTrue();
		}
	}

	private static ServerRequestObservationContext observed(String header) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/probe");
		if (header != null) {
			request.addHeader(WarmUp.HEADER, header);
		}
		return new ServerRequestObservationContext(request, new MockHttpServletResponse());
	}

	private static ConfigurableApplicationContext start(String... properties) {
		SpringApplication application = new SpringApplication(ProbeApplication.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
				"--eureka.client.enabled=false", "--bugtracker.warm-up.requests[0].path=/probe",
				"--bugtracker.warm-up.requests[1].method=POST", "--bugtracker.warm-up.requests[1].path=/probe",
				"--bugtracker.warm-up.requests[1].body={\"a\": 1}"));
		for (String property : properties) {
			args.add("--" + property);
		}
		return application.run(args.toArray(String[]::new));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
			"org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
	@Import(Probe.class)
	static class ProbeApplication {

	}

	@RestController
	static class Probe {

		final List<String> seen = new CopyOnWriteArrayList<>();

		final List<String> secrets = new CopyOnWriteArrayList<>();

		private final ApplicationAvailability availability;

		Probe(ApplicationAvailability availability) {
			this.availability = availability;
		}

		@GetMapping("/probe")
		String get(@RequestHeader(WarmUp.HEADER) String secret) {
			this.secrets.add(secret);
			this.seen.add("GET /probe " + this.availability.getReadinessState());
			return "read";
		}

		@PostMapping("/probe")
		String post(@RequestBody String body, @RequestHeader(WarmUp.HEADER) String secret) {
			this.secrets.add(secret);
			this.seen.add("POST /probe " + body + " " + this.availability.getReadinessState());
			return "written";
		}

	}

}

package dev.bugtracker.registry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may register with the registry, read it and see its dashboard. Where
 * {@code bugtracker.registry.credentials-required} is on (the docker and k8s profiles),
 * everything but the health and info probes takes HTTP Basic with the registry's
 * credentials ({@code EUREKA_USERNAME}, default {@code eureka}, and
 * {@code EUREKA_PASSWORD}, required): a process that cannot present them cannot register
 * itself as {@code users-service} and receive its traffic. The clients put the
 * credentials in their {@code EUREKA_URL}
 * ({@code http://eureka:<password>@registry:8761/eureka/}), which the Eureka client sends
 * as HTTP Basic. Locally (127.0.0.1 only) the registry stays open.
 */
@Configuration(proxyBeanMethods = false)
class RegistrySecurityConfiguration {

	static final String REQUIRED = "bugtracker.registry.credentials-required";

	@Bean
	SecurityFilterChain registrySecurity(HttpSecurity http, Environment environment) {
		// Eureka clients send no CSRF token; nothing here rests on a browser session.
		http.csrf(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		if (required(environment)) {
			http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
						.permitAll()
						.anyRequest()
						.authenticated())
				.httpBasic(Customizer.withDefaults());
		}
		else {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
		}
		return http.build();
	}

	@Bean
	UserDetailsService registryUsers(Environment environment) {
		if (!required(environment)) {
			return new InMemoryUserDetailsManager();
		}
		String password = environment.getProperty("bugtracker.registry.password");
		if (password != null && password.strip().toLowerCase(java.util.Locale.ROOT).startsWith("change-me")) {
			throw new IllegalStateException("EUREKA_PASSWORD is still the placeholder of .env.example: set a password "
					+ "of your own (scripts/compose.sh writes random ones into a new .env); see docs/operations.md, "
					+ "\"Secrets\".");
		}
		if (password == null || password.isBlank()) {
			throw new IllegalStateException("EUREKA_PASSWORD is not set: it is the password that services register "
					+ "with (the registry requires credentials in the docker and k8s profiles). Secrets come only "
					+ "from the environment; see docs/operations.md, \"Secrets\".");
		}
		return new InMemoryUserDetailsManager(
				User.withUsername(environment.getProperty("bugtracker.registry.username", "eureka"))
					.password("{noop}" + password)
					.roles("SERVICE")
					.build());
	}

	private static boolean required(Environment environment) {
		return environment.getProperty(REQUIRED, Boolean.class, false);
	}

}

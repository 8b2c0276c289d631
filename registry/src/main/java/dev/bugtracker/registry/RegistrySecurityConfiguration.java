package dev.bugtracker.registry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
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
 * everything but the health and info probes takes HTTP Basic, with one of two
 * credentials:
 * <ul>
 * <li>the services' ({@code EUREKA_USERNAME}, default {@code eureka}, and
 * {@code EUREKA_PASSWORD}, required): register, renew, deregister, and read;</li>
 * <li>the readers' ({@code EUREKA_READER_USERNAME}, default {@code reader}, and
 * {@code EUREKA_READER_PASSWORD}, optional): read the registry, its dashboard and its
 * metrics, as Prometheus does to find its targets, and nothing else. A reader that tries
 * to register, or to change or remove an instance, gets 403.</li>
 * </ul>
 * So a process that cannot present the services' password cannot register itself as
 * {@code users-service} and receive its traffic. The clients put the credentials in their
 * {@code EUREKA_URL} ({@code http://eureka:<password>@registry:8761/eureka/}), which the
 * Eureka client sends as HTTP Basic. Locally (127.0.0.1 only) the registry stays open.
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
						// Reading: the registry, the dashboard, the metrics.
						.requestMatchers(HttpMethod.GET, "/**")
						.hasAnyRole(SERVICE, READER)
						.requestMatchers(HttpMethod.HEAD, "/**")
						.hasAnyRole(SERVICE, READER)
						// Everything else (registering, renewing, changing a status,
						// deregistering, a peer's replication) is a service's.
						.anyRequest()
						.hasRole(SERVICE))
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
		String password = password(environment, "bugtracker.registry.password", "EUREKA_PASSWORD");
		if (password == null) {
			throw new IllegalStateException("EUREKA_PASSWORD is not set: it is the password that services register "
					+ "with (the registry requires credentials in the docker and k8s profiles). Secrets come only "
					+ "from the environment; see docs/operations.md, \"Secrets\".");
		}
		String username = environment.getProperty("bugtracker.registry.username", "eureka");
		InMemoryUserDetailsManager users = new InMemoryUserDetailsManager(
				User.withUsername(username).password("{noop}" + password).roles(SERVICE).build());
		String readerPassword = password(environment, "bugtracker.registry.reader-password", "EUREKA_READER_PASSWORD");
		if (readerPassword != null) {
			String reader = environment.getProperty("bugtracker.registry.reader-username", "reader");
			if (reader.equals(username) || readerPassword.equals(password)) {
				throw new IllegalStateException("EUREKA_READER_USERNAME and EUREKA_READER_PASSWORD must differ from "
						+ "the services' EUREKA_USERNAME and EUREKA_PASSWORD: a reader must not be able to register.");
			}
			users.createUser(User.withUsername(reader).password("{noop}" + readerPassword).roles(READER).build());
		}
		return users;
	}

	/**
	 * @return the password, or null when it is not set
	 * @throws IllegalStateException if it is still a placeholder of {@code .env.example}
	 */
	private static String password(Environment environment, String property, String variable) {
		String password = environment.getProperty(property);
		if (password != null && password.strip().toLowerCase(java.util.Locale.ROOT).startsWith("change-me")) {
			throw new IllegalStateException(variable + " is still the placeholder of .env.example: set a password "
					+ "of your own (scripts/compose.sh writes random ones into a new .env); see docs/operations.md, "
					+ "\"Secrets\".");
		}
		return (password == null || password.isBlank()) ? null : password;
	}

	private static boolean required(Environment environment) {
		return environment.getProperty(REQUIRED, Boolean.class, false);
	}

	private static final String SERVICE = "SERVICE";

	private static final String READER = "READER";

}

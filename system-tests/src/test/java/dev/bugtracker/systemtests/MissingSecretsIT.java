package dev.bugtracker.systemtests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service started without a secret it needs refuses to start, says which secret and
 * where it comes from, and exits: it does not hang half-started, nor fall back to a
 * default.
 */
class MissingSecretsIT {

	@Test
	void usersAndBugsServiceExitWithoutTheirClientSecret() throws Exception {
		for (String service : List.of("users-service", "bugs-service")) {
			assertExitsWithout(service, "BUGS_SERVICE_CLIENT_SECRET", Map.of("IDEMPOTENCY_SECRET",
					"another secret is set", "SIGNING_KEYS_SECRET", "another secret is set"));
		}
	}

	@Test
	void usersAndBugsServiceExitWithoutTheKeyOfTheirIdempotencyRecords() throws Exception {
		for (String service : List.of("users-service", "bugs-service")) {
			assertExitsWithout(service, "IDEMPOTENCY_SECRET", Map.of("BUGS_SERVICE_CLIENT_SECRET",
					"another secret is set", "SIGNING_KEYS_SECRET", "another secret is set"));
		}
	}

	@Test
	void usersServiceExitsWithoutTheKeyOfItsSigningKeys() throws Exception {
		assertExitsWithout("users-service", "SIGNING_KEYS_SECRET", Map.of("BUGS_SERVICE_CLIENT_SECRET",
				"another secret is set", "IDEMPOTENCY_SECRET", "another secret is set"));
	}

	private static void assertExitsWithout(String service, String secret, Map<String, String> environment)
			throws Exception {
		Path root = Path.of(System.getProperty("bugtracker.root", ".."));
		String version = System.getProperty("bugtracker.version", "0.1.0-SNAPSHOT");
		Path workdir = Path.of(System.getProperty("bugtracker.workdir", "target/stack"))
			.resolve("secrets-" + System.currentTimeMillis());
		Files.createDirectories(workdir);
		ServiceProcess process = new ServiceProcess(service + "-without-" + secret.toLowerCase(java.util.Locale.ROOT),
				root.resolve(service + "/target/" + service + "-" + version + ".jar"), workdir, environment,
				List.of("--server.port=" + Stack.freePort(), "--spring.grpc.server.port=0",
						"--spring.datasource.url=jdbc:h2:mem:" + service, "--eureka.client.enabled=false"));
		try {
			process.start();
			Awaitility.await(service + " without " + secret + " exits")
				.atMost(Stack.READY_TIMEOUT)
				.pollInterval(Duration.ofMillis(250))
				.until(() -> !process.isAlive());
			assertThat(process.logText()).contains(secret + " is not set");
		}
		finally {
			process.stop();
		}
	}

}

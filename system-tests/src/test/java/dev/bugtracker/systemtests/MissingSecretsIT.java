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
		Path root = Path.of(System.getProperty("bugtracker.root", ".."));
		String version = System.getProperty("bugtracker.version", "0.1.0-SNAPSHOT");
		Path workdir = Path.of(System.getProperty("bugtracker.workdir", "target/stack"))
			.resolve("secrets-" + System.currentTimeMillis());
		Files.createDirectories(workdir);
		for (String service : List.of("users-service", "bugs-service")) {
			ServiceProcess process = new ServiceProcess(service + "-without-secret",
					root.resolve(service + "/target/" + service + "-" + version + ".jar"), workdir, Map.of(),
					List.of("--server.port=" + Stack.freePort(), "--spring.grpc.server.port=0",
							"--spring.datasource.url=jdbc:h2:mem:" + service, "--eureka.client.enabled=false"));
			try {
				process.start();
				Awaitility.await(service + " without its secret exits")
					.atMost(Stack.READY_TIMEOUT)
					.pollInterval(Duration.ofMillis(250))
					.until(() -> !process.isAlive());
				assertThat(process.logText()).contains("BUGS_SERVICE_CLIENT_SECRET is not set");
			}
			finally {
				process.stop();
			}
		}
	}

}

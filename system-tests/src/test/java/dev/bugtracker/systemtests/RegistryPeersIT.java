package dev.bugtracker.systemtests;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two registries with the "peers" profile (configs/registry.yml) replicate to each other:
 * an instance registered with either one is listed by both. A registry recognises itself
 * in its peer list by host name, so on one machine the two are told apart as 127.0.0.1
 * and localhost.
 */
class RegistryPeersIT {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@Test
	void registrationsWithEitherPeerAreReplicatedToTheOther() throws Exception {
		int first = Stack.freePort();
		int second = Stack.freePort();
		Path jar = registryJar();
		Path workdir = workdir("peers");
		ServiceProcess one = new ServiceProcess("registry-1", jar, workdir,
				Map.of("EUREKA_HOSTNAME", "127.0.0.1", "EUREKA_PEERS", "http://localhost:" + second + "/eureka/"),
				List.of("--server.port=" + first, "--spring.profiles.active=local,peers"));
		ServiceProcess two = new ServiceProcess("registry-2", jar, workdir,
				Map.of("EUREKA_HOSTNAME", "localhost", "EUREKA_PEERS", "http://127.0.0.1:" + first + "/eureka/"),
				List.of("--server.port=" + second, "--spring.profiles.active=local,peers"));
		try {
			one.start();
			two.start();
			awaitUp(one, first);
			awaitUp(two, second);

			register(first, "PROBE-ONE");
			register(second, "PROBE-TWO");

			Awaitility.await("each registration is listed by both registries")
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(500))
				.ignoreExceptionsInstanceOf(UncheckedIOException.class)
				.untilAsserted(() -> {
					assertThat(status(second, "/eureka/apps/PROBE-ONE")).as("registered with 1, asked 2")
						.isEqualTo(200);
					assertThat(status(first, "/eureka/apps/PROBE-TWO")).as("registered with 2, asked 1").isEqualTo(200);
				});
		}
		finally {
			one.signalStop();
			two.signalStop();
			one.stop();
			two.stop();
		}
	}

	private void awaitUp(ServiceProcess registry, int port) {
		Awaitility.await(registry.name() + " is ready")
			.atMost(Stack.READY_TIMEOUT)
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptionsInstanceOf(UncheckedIOException.class)
			.until(() -> {
				if (!registry.isAlive()) {
					throw new IllegalStateException(registry.name() + " exited; see " + registry.log());
				}
				return status(port, "/actuator/health/readiness") == 200;
			});
	}

	/**
	 * In the docker profile (and k8s) the registry takes registrations and reads only
	 * with its credentials, and does not start without its password. Its actuator is on
	 * the management port: health open to the probes, metrics only with the credentials.
	 */
	@Test
	void theDockerProfileRefusesRegistrationsWithoutTheCredentials() throws Exception {
		int port = Stack.freePort();
		int managementPort = Stack.freePort();
		Path jar = registryJar();
		Path workdir = workdir("credentials");
		List<String> arguments = List.of("--server.port=" + port, "--server.address=127.0.0.1",
				"--management.server.port=" + managementPort, "--management.server.address=127.0.0.1",
				"--spring.profiles.active=docker");
		ServiceProcess withoutPassword = new ServiceProcess("registry-without-password", jar, workdir, Map.of(),
				arguments);
		try {
			withoutPassword.start();
			Awaitility.await("the registry without a password exits")
				.atMost(Stack.READY_TIMEOUT)
				.pollInterval(Duration.ofMillis(250))
				.until(() -> !withoutPassword.isAlive());
			assertThat(withoutPassword.logText()).contains("EUREKA_PASSWORD is not set");
		}
		finally {
			withoutPassword.stop();
		}
		String password = java.util.UUID.randomUUID().toString();
		String readerPassword = java.util.UUID.randomUUID().toString();
		ServiceProcess registry = new ServiceProcess("registry-with-credentials", jar, workdir,
				Map.of("EUREKA_PASSWORD", password, "EUREKA_READER_PASSWORD", readerPassword), arguments);
		try {
			registry.start();
			awaitUp(registry, managementPort);
			assertThat(status(port, "/actuator/prometheus", basic("eureka", password)))
				.as("no actuator on the public port")
				.isEqualTo(404);
			assertThat(status(managementPort, "/actuator/health/liveness", null)).isEqualTo(200);
			assertThat(status(managementPort, "/actuator/metrics", null)).as("metrics without credentials")
				.isEqualTo(401);
			assertThat(status(managementPort, "/actuator/metrics", basic("eureka", password)))
				.as("metrics with the credentials")
				.isEqualTo(200);
			assertThat(register(port, "INTRUDER", null)).as("without credentials").isEqualTo(401);
			assertThat(register(port, "INTRUDER", basic("eureka", "guessed"))).as("with a wrong password")
				.isEqualTo(401);
			assertThat(status(port, "/eureka/apps/INTRUDER", basic("eureka", password))).as("nothing registered")
				.isEqualTo(404);
			assertThat(register(port, "USERS-SERVICE", basic("eureka", password))).as("with the credentials")
				.isEqualTo(204);
			assertThat(status(port, "/eureka/apps/USERS-SERVICE", basic("eureka", password))).isEqualTo(200);
			assertThat(status(port, "/eureka/apps", null)).as("reading without credentials").isEqualTo(401);
			assertThat(status(port, "/", null)).as("the dashboard without credentials").isEqualTo(401);
			// The read-only credentials (Prometheus') read, and change nothing.
			String reader = basic("reader", readerPassword);
			assertThat(status(port, "/eureka/apps/USERS-SERVICE", reader)).as("reading as the reader").isEqualTo(200);
			assertThat(status(port, "/", reader)).as("the dashboard as the reader").isEqualTo(200);
			assertThat(status(managementPort, "/actuator/metrics", reader)).as("metrics as the reader").isEqualTo(200);
			assertThat(register(port, "INTRUDER", reader)).as("registering as the reader").isEqualTo(403);
			assertThat(send(HttpRequest.newBuilder(uri(port, "/eureka/apps/USERS-SERVICE/USERS-SERVICE:1"))
				.header("Authorization", reader)
				.DELETE()).statusCode()).as("deregistering as the reader").isEqualTo(403);
			assertThat(send(HttpRequest.newBuilder(uri(port, "/eureka/apps/USERS-SERVICE/USERS-SERVICE:1"))
				.header("Authorization", basic("reader", password))
				.DELETE()).statusCode()).as("the reader with the services' password").isEqualTo(401);
			assertThat(status(port, "/eureka/apps/USERS-SERVICE", reader)).as("still registered").isEqualTo(200);
		}
		finally {
			registry.signalStop();
			registry.stop();
		}
	}

	private static Path registryJar() {
		Path root = Path.of(System.getProperty("bugtracker.root", ".."));
		String version = System.getProperty("bugtracker.version", "0.1.0-SNAPSHOT");
		return root.resolve("registry/target/registry-" + version + ".jar");
	}

	private static Path workdir(String name) throws java.io.IOException {
		Path workdir = Path.of(System.getProperty("bugtracker.workdir", "target/stack"))
			.resolve(name + "-" + System.currentTimeMillis());
		Files.createDirectories(workdir);
		return workdir;
	}

	private static String basic(String user, String password) {
		return "Basic " + java.util.Base64.getEncoder()
			.encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/** Registers an instance the way a Eureka client does, through the REST API. */
	private void register(int port, String app) {
		int status = register(port, app, null);
		assertThat(status).as("registering %s", app).isEqualTo(204);
	}

	private int register(int port, String app, String authorization) {
		String instance = """
				{"instance": {"instanceId": "%1$s:1", "app": "%1$s", "hostName": "127.0.0.1", "ipAddr": "127.0.0.1",
				 "vipAddress": "%1$s", "status": "UP", "port": {"$": 9, "@enabled": "true"},
				 "dataCenterInfo": {"@class": "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", "name": "MyOwn"}}}
				"""
			.formatted(app);
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(port, "/eureka/apps/" + app))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(instance));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return send(request).statusCode();
	}

	private int status(int port, String path) {
		return status(port, path, null);
	}

	private int status(int port, String path, String authorization) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(port, path))
			.header("Accept", "application/json")
			.GET();
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return send(request).statusCode();
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		return Http.send(this.http, request, Duration.ofSeconds(10));
	}

	private static URI uri(int port, String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

}

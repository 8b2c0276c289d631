package dev.bugtracker.systemtests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;

/**
 * The repository's docker-compose.yml, run by the project's own scripts under a project
 * name and an env file of its own (free host ports, random passwords, images tagged
 * {@code bugtracker-it/...}), so that it runs beside a developer's compose stack and
 * local stack. {@link #close()} takes everything down, volumes included.
 */
final class ComposeStack implements AutoCloseable {

	static final String PROJECT = "bugtracker-it";

	static final String IMAGE_PREFIX = "bugtracker-it/";

	final Path root;

	final Path envFile;

	final int gatewayPort = Stack.freePort();

	final int adminPort = Stack.freePort();

	final int registryPort = Stack.freePort();

	/** HTTP Basic of the registry's credentials (required in the docker profile). */
	final String registryAuthorization;

	final int mailPort = Stack.freePort();

	// HTTP/1.1 only: the client's default h2c upgrade request makes MailDev (Node.js with
	// socket.io listening for upgrades) drop the connection without an answer.
	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	ComposeStack(Path root, Path workdir, Map<String, String> baseImages) throws IOException {
		this.root = root;
		Files.createDirectories(workdir);
		this.envFile = workdir.resolve("compose.env");
		Map<String, String> env = new LinkedHashMap<>();
		SecureRandom random = new SecureRandom();
		for (String key : List.of("POSTGRES_PASSWORD", "USERS_DB_PASSWORD", "USERS_DB_APP_PASSWORD", "BUGS_DB_PASSWORD",
				"NOTIFICATOR_DB_PASSWORD", "BUGS_SERVICE_CLIENT_SECRET", "USERS_IDEMPOTENCY_SECRET",
				"BUGS_IDEMPOTENCY_SECRET", "USERS_SIGNING_KEYS_SECRET", "EUREKA_PASSWORD", "EUREKA_READER_PASSWORD",
				"GRAFANA_ADMIN_PASSWORD")) {
			byte[] bytes = new byte[18];
			random.nextBytes(bytes);
			env.put(key, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
		}
		this.registryAuthorization = "Basic " + Base64.getEncoder()
			.encodeToString(("eureka:" + env.get("EUREKA_PASSWORD")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
		env.putAll(baseImages);
		env.put("IMAGE_PREFIX", IMAGE_PREFIX);
		env.put("GATEWAY_PORT", String.valueOf(this.gatewayPort));
		env.put("GATEWAY_ADMIN_PORT", String.valueOf(this.adminPort));
		env.put("REGISTRY_PORT", String.valueOf(this.registryPort));
		env.put("MAIL_UI_PORT", String.valueOf(this.mailPort));
		StringBuilder text = new StringBuilder();
		env.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
		Files.writeString(this.envFile, text);
	}

	/**
	 * Runs a command in the repository with this stack's project and env file, and shows
	 * its output in the test log.
	 */
	String run(Duration timeout, String... command) {
		return execute(timeout, true, command);
	}

	/** Runs a command as {@link #run} does, without showing its output. */
	String capture(Duration timeout, String... command) {
		return execute(timeout, false, command);
	}

	private String execute(Duration timeout, boolean show, String... command) {
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.root.toFile()).redirectErrorStream(true);
		builder.environment().put("ENV_FILE", this.envFile.toString());
		builder.environment().put("COMPOSE_PROJECT_NAME", PROJECT);
		builder.environment().put("GATEWAY_ADMIN_URL", "http://127.0.0.1:" + this.adminPort);
		builder.environment().put("PATH", "/usr/bin:" + System.getenv("PATH"));
		try {
			Process process = builder.start();
			StringBuffer output = new StringBuffer();
			Thread reader = new Thread(() -> {
				try (BufferedReader lines = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
					lines.lines().forEach((line) -> {
						if (show) {
							System.out.println(line);
						}
						output.append(line).append('\n');
					});
				}
				catch (IOException | UncheckedIOException ex) {
					// The process ended.
				}
			});
			reader.start();
			if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
			}
			reader.join(5000);
			if (process.exitValue() != 0) {
				throw new AssertionError(
						String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + output);
			}
			return output.toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	String compose(Duration timeout, String... arguments) {
		List<String> command = new ArrayList<>(
				List.of("docker-compose", "--env-file", this.envFile.toString(), "-p", PROJECT));
		command.addAll(List.of(arguments));
		return run(timeout, command.toArray(String[]::new));
	}

	/** The ids of the running containers of one compose service. */
	List<String> containers(String service) {
		String ids = capture(Duration.ofSeconds(30), "docker", "ps", "-q", "--filter",
				"label=com.docker.compose.project=" + PROJECT, "--filter",
				"label=com.docker.compose.service=" + service);
		return ids.lines().map(String::trim).filter((line) -> !line.isEmpty()).toList();
	}

	/**
	 * The last warnings and errors that the containers of a service logged since a time,
	 * one line each and cut short, for the message of a failed check (reactor-netty's
	 * note on each connection that a stopped instance broke left out).
	 */
	String warnings(String service, java.time.Instant since) {
		StringBuilder warnings = new StringBuilder();
		for (String container : containers(service)) {
			String log;
			try {
				log = capture(Duration.ofSeconds(30), "docker", "logs", "--since", since.toString(), container);
			}
			catch (AssertionError ex) {
				log = "(could not read its log: " + ex.getMessage() + ")";
			}
			List<String> lines = log.lines()
				.filter((line) -> (line.contains("WARN") || line.contains("ERROR"))
						&& !line.contains("The connection observed an error"))
				.map(ComposeStack::brief)
				.map((line) -> (line.length() > 300) ? line.substring(0, 300) + "..." : line)
				.toList();
			warnings.append(container, 0, Math.min(12, container.length())).append(":\n");
			lines.subList(Math.max(0, lines.size() - 10), lines.size())
				.forEach((line) -> warnings.append(line).append('\n'));
		}
		return warnings.toString();
	}

	private static final java.util.regex.Pattern ECS_FIELDS = java.util.regex.Pattern.compile(
			"\"@timestamp\":\"([^\"]*)\".*\"level\":\"([^\"]*)\",\"logger\":\"([^\"]*)\".*?\"message\":\"((?:[^\"\\\\]|\\\\.)*)\"");

	/**
	 * One of the services' JSON log lines (ECS) as its time, level, logger and message:
	 * the message comes after some 300 characters of fields.
	 */
	static String brief(String line) {
		java.util.regex.Matcher fields = ECS_FIELDS.matcher(line);
		if (!fields.find()) {
			return line;
		}
		String logger = fields.group(3);
		return fields.group(1) + " " + fields.group(2) + " " + logger.substring(logger.lastIndexOf('.') + 1) + ": "
				+ fields.group(4);
	}

	String version(String container) {
		return capture(Duration.ofSeconds(30), "docker", "inspect", "-f",
				"{{index .Config.Labels \"org.opencontainers.image.version\"}}", container)
			.trim();
	}

	/** The actuator's port in every container: the docker profile's management port. */
	static final int MANAGEMENT_PORT = 8081;

	/**
	 * How many requests to a URI pattern each container of a service has answered, read
	 * from the container's own Prometheus scrape on its management port (inside the
	 * container: that port of a service is not published).
	 */
	Map<String, Double> served(String service, String uri) {
		Map<String, Double> counts = new HashMap<>();
		Pattern sample = Pattern.compile("^http_server_requests_seconds_count\\{(.*)\\} (\\S+)$");
		for (String container : containers(service)) {
			String scrape = insideGet(container, MANAGEMENT_PORT, "/actuator/prometheus");
			double total = 0;
			for (String line : scrape.lines().toList()) {
				Matcher matcher = sample.matcher(line);
				if (matcher.matches() && matcher.group(1).contains("uri=\"" + uri + "\"")) {
					total += Double.parseDouble(matcher.group(2));
				}
			}
			counts.put(container, total);
		}
		return counts;
	}

	/**
	 * How long each container of a service took to answer requests of one method, from
	 * its own histogram (http.server.requests, every URI): how many took longer than 1, 5
	 * and 10 s. Where a slow answer's time went, gateway or service.
	 */
	String slowAnswers(String service, String method) {
		StringBuilder summary = new StringBuilder();
		Pattern bucket = Pattern.compile("^http_server_requests_seconds_bucket\\{(.*)\\} (\\S+)$");
		Pattern bound = Pattern.compile("le=\"([^\"]+)\"");
		for (String container : containers(service)) {
			// Cumulative counts by upper bound, summed over the URIs and statuses.
			java.util.TreeMap<Double, Double> atMost = new java.util.TreeMap<>();
			for (String line : insideGet(container, MANAGEMENT_PORT, "/actuator/prometheus").lines().toList()) {
				Matcher matcher = bucket.matcher(line);
				Matcher le = (matcher.matches()) ? bound.matcher(matcher.group(1)) : null;
				if (le != null && matcher.group(1).contains("method=\"" + method + "\"") && le.find()) {
					double upper = "+Inf".equals(le.group(1)) ? Double.POSITIVE_INFINITY
							: Double.parseDouble(le.group(1));
					atMost.merge(upper, Double.parseDouble(matcher.group(2)), Double::sum);
				}
			}
			double all = atMost.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
			summary.append(String.format("%s %s %s: %.0f answered, %.0f after 1 s, %.0f after 5 s, %.0f after 10 s%n",
					service, container.substring(0, Math.min(12, container.length())), method, all,
					all - below(atMost, 1), all - below(atMost, 5), all - below(atMost, 10)));
		}
		return summary.toString();
	}

	/** How many answers took at most the largest bound up to {@code seconds}. */
	private static double below(java.util.TreeMap<Double, Double> atMost, double seconds) {
		Map.Entry<Double, Double> floor = atMost.floorEntry(seconds);
		return (floor != null) ? floor.getValue() : 0;
	}

	/**
	 * The whole HTTP/1.0 response to a GET sent from inside a container to one of its
	 * ports (bash's /dev/tcp: the images have no curl).
	 */
	String insideGet(String container, int port, String path) {
		return capture(Duration.ofSeconds(30), "docker", "exec", container, "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/"
				+ port + "; printf 'GET " + path + " HTTP/1.0\\r\\nAccept: text/plain\\r\\n\\r\\n' >&3; cat <&3");
	}

	URI gateway(String path) {
		return URI.create("http://127.0.0.1:" + this.gatewayPort + path);
	}

	HttpResponse<String> send(HttpRequest.Builder request) {
		return Http.send(this.http, request, Duration.ofSeconds(20));
	}

	HttpResponse<String> get(int port, String path) {
		return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Accept", "application/json"));
	}

	void awaitHealthy(Duration timeout) {
		Awaitility.await("every container of " + PROJECT + " is healthy")
			.atMost(timeout)
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> {
				String states = capture(Duration.ofSeconds(30), "bash", "-c",
						"docker ps -a -q --filter label=com.docker.compose.project=" + PROJECT
								+ " | xargs -r docker inspect -f '{{.Name}} {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}'");
				if (states.contains(" unhealthy") || states.contains(" exited")) {
					throw new AssertionError("a container failed:\n" + states);
				}
				return !states.isBlank() && states.lines().allMatch((line) -> line.endsWith(" healthy"));
			});
	}

	/**
	 * Waits until the gateway routes to users-service and bugs-service: a container is
	 * healthy before the gateway's next registry fetch has seen it.
	 */
	void awaitRouted(Duration timeout) {
		Awaitility.await("the gateway routes to users-service and bugs-service")
			.atMost(timeout)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> get(this.gatewayPort, "/users/me").statusCode() == 401
					&& get(this.gatewayPort, "/bugs?page=0").statusCode() == 200);
	}

	/**
	 * Prints how long each container's JVM took to start ("Started ... in N seconds"), so
	 * that a run on a loaded machine tells how much margin the health check's start
	 * period leaves.
	 */
	void printStartTimes() {
		try {
			System.out.print(capture(Duration.ofSeconds(60), "bash", "-c",
					"for c in $(docker ps -a -q --filter label=com.docker.compose.project=" + PROJECT + "); do "
							+ "printf 'container %s: %s\\n' \"$(docker inspect -f '{{.Name}}' $c)\" "
							+ "\"$(docker logs $c 2>&1 | grep -o 'Started [A-Za-z]* in [0-9.]* seconds' | tail -n 1)\"; done"));
		}
		catch (AssertionError ex) {
			System.err.println("Could not read the containers' start times: " + ex.getMessage());
		}
	}

	@Override
	public void close() {
		try {
			compose(Duration.ofMinutes(3), "down", "-v", "--timeout", "40", "--remove-orphans");
		}
		catch (AssertionError ex) {
			System.err.println("docker-compose down failed: " + ex.getMessage());
		}
	}

}

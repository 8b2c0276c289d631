package dev.bugtracker.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.jayway.jsonpath.JsonPath;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus and Alertmanager (Debian's packages) as processes beside a {@link Stack},
 * with the repository's configuration (deployments/observability) rendered for it by
 * {@code scripts/observability.sh render}, and a real SMTP server (GreenMail) that
 * receives Alertmanager's email. {@link #close()} stops all of them, also when a test
 * fails; a shutdown hook does it if the test JVM exits early.
 */
final class Observability implements AutoCloseable {

	final int prometheusPort = Stack.freePort();

	final int alertmanagerPort = Stack.freePort();

	private final ServerSetup smtpSetup = new ServerSetup(Stack.freePort(), "127.0.0.1", "smtp");

	private final GreenMail smtp = new GreenMail(this.smtpSetup);

	private final Path directory;

	private final List<Process> processes = new ArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Thread shutdownHook = new Thread(this::stopAll, "observability-shutdown");

	/**
	 * Skip the calling test where Prometheus or Alertmanager is not installed, unless
	 * {@code BUGTRACKER_OBSERVABILITY_TESTS=required} (as in CI) makes that a failure.
	 */
	static void assumeInstalled() {
		boolean installed = onPath("prometheus") && onPath("prometheus-alertmanager");
		if (!installed && "required".equals(System.getenv("BUGTRACKER_OBSERVABILITY_TESTS"))) {
			throw new IllegalStateException("prometheus or prometheus-alertmanager is not installed, and "
					+ "BUGTRACKER_OBSERVABILITY_TESTS=required: apt-get install prometheus prometheus-alertmanager");
		}
		Assumptions.assumeTrue(installed, "Prometheus and Alertmanager are not installed "
				+ "(apt-get install prometheus prometheus-alertmanager; BUGTRACKER_OBSERVABILITY_TESTS=required "
				+ "makes this a failure)");
	}

	private static boolean onPath(String command) {
		for (String directory : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
			if (Files.isExecutable(Path.of(directory, command))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Render the configuration for the stack and start Prometheus, Alertmanager and the
	 * SMTP server; returns once Prometheus and Alertmanager are ready.
	 * @param stack the running stack, whose registry Prometheus discovers targets from
	 * @param renderOptions more options for {@code scripts/observability.sh render}
	 * (shorter rule durations, settings)
	 */
	Observability(Stack stack, String... renderOptions) throws IOException, InterruptedException {
		this.directory = stack.workdir.resolve("observability-" + System.currentTimeMillis());
		Path root = Path.of(System.getProperty("bugtracker.root", ".."));
		Files.createDirectories(this.directory);
		Path readerPassword = this.directory.resolve("registry-reader-password");
		Files.writeString(readerPassword, Stack.REGISTRY_READER_PASSWORD);
		List<String> render = new ArrayList<>(
				List.of(root.resolve("scripts/observability.sh").toString(), "render", this.directory.toString(),
						"--registry", "http://127.0.0.1:" + stack.registryPort, "--registry-password-file",
						readerPassword.toString(), "--alertmanager", "127.0.0.1:" + this.alertmanagerPort, "--smtp",
						"127.0.0.1:" + this.smtpSetup.getPort(), "--interval", "1s", "--group-wait", "1s"));
		render.addAll(List.of(renderOptions));
		Process rendering = new ProcessBuilder(render).redirectErrorStream(true).start();
		String output = new String(rendering.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (rendering.waitFor() != 0) {
			throw new IllegalStateException("scripts/observability.sh render failed: " + output);
		}
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
		this.smtp.start();
		start("prometheus", "prometheus", "--config.file=" + this.directory.resolve("prometheus.yml"),
				"--storage.tsdb.path=" + this.directory.resolve("prometheus-data"),
				"--web.listen-address=127.0.0.1:" + this.prometheusPort);
		// No cluster: Alertmanager would otherwise listen for peers on every interface.
		start("alertmanager", "prometheus-alertmanager", "--config.file=" + this.directory.resolve("alertmanager.yml"),
				"--storage.path=" + this.directory.resolve("alertmanager-data"),
				"--web.listen-address=127.0.0.1:" + this.alertmanagerPort, "--cluster.listen-address=");
		stack.await(Duration.ofSeconds(60), "Prometheus and Alertmanager are ready",
				() -> status(this.prometheusPort, "/-/ready") == 200
						&& status(this.alertmanagerPort, "/-/ready") == 200);
	}

	private void start(String name, String... command) throws IOException {
		Path log = this.directory.resolve(name + ".log");
		this.processes.add(new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start());
	}

	private int status(int port, String path) {
		try {
			return this.http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
					.timeout(Duration.ofSeconds(5))
					.build(), HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	private String get(int port, String path) {
		try {
			HttpResponse<String> response = this.http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException(
						"GET " + path + " answered " + response.statusCode() + ": " + response.body());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Run an instant query.
	 * @param promql the query
	 * @return the result vector's samples: their labels, and their value under
	 * {@code "value"}
	 * @throws IllegalStateException if Prometheus refuses the query
	 */
	List<Map<String, Object>> query(String promql) {
		String body = get(this.prometheusPort,
				"/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
		List<Map<String, Object>> samples = new ArrayList<>();
		List<Map<String, Object>> result = JsonPath.read(body, "$.data.result");
		for (Map<String, Object> sample : result) {
			Map<String, Object> labels = new java.util.LinkedHashMap<>(JsonPath.read(sample, "$.metric"));
			labels.put("value", JsonPath.read(sample, "$.value[1]"));
			samples.add(labels);
		}
		return samples;
	}

	/**
	 * @return the names of the alerts Prometheus has firing for the given application
	 */
	List<String> firing(String application) {
		return JsonPath.read(get(this.prometheusPort, "/api/v1/alerts"),
				"$.data.alerts[?(@.state == 'firing' && @.labels.application == '" + application
						+ "')].labels.alertname");
	}

	/**
	 * @return every alert Prometheus has now, pending or firing, as
	 * {@code name{application}=state}, for the message of a failed wait
	 */
	String alertsNow() {
		try {
			List<Map<String, Object>> alerts = JsonPath.read(get(this.prometheusPort, "/api/v1/alerts"),
					"$.data.alerts[*]");
			return alerts.stream().map((alert) -> {
				@SuppressWarnings("unchecked")
				Map<String, Object> labels = (Map<String, Object>) alert.get("labels");
				return labels.get("alertname") + "{" + labels.get("application") + "}=" + alert.get("state");
			}).sorted().toList().toString();
		}
		catch (RuntimeException ex) {
			return "(Prometheus did not answer: " + ex + ")";
		}
	}

	/**
	 * @return the names of the alerts active in Alertmanager for the given application
	 */
	List<String> alertmanagerActive(String application) {
		return JsonPath.read(get(this.alertmanagerPort, "/api/v2/alerts?active=true&silenced=false&inhibited=true"),
				"$[?(@.labels.application == '" + application + "')].labels.alertname");
	}

	/**
	 * @return the emails Alertmanager sent so far
	 */
	MimeMessage[] emails() {
		return this.smtp.getReceivedMessages();
	}

	@Override
	public void close() {
		stopAll();
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// The JVM is already shutting down and runs the hook itself.
		}
	}

	private void stopAll() {
		for (Process process : this.processes) {
			process.destroy();
		}
		for (Process process : this.processes) {
			try {
				if (!process.waitFor(10, TimeUnit.SECONDS)) {
					process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
		this.smtp.stop();
	}

}

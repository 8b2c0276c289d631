package dev.bugtracker.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * One packaged service running as its own JVM, with its output in a log file.
 * <p>
 * A service's jar is run the way its container image runs it
 * ({@code deployments/docker/Dockerfile}): extracted with Spring Boot's {@code tools} jar
 * mode, once per test run, then started from the extracted jar and its {@code lib/}
 * directory. On this project's 2-core machines a service starts in about half the time
 * from the extracted jar as from the executable one, whose 227 nested jars are read
 * through Spring Boot's nested-jar class loader; the system tests start some thirty
 * instances (docs/ci-runs.md).
 */
final class ServiceProcess {

	/** The extracted copy of each executable jar, made once per test JVM. */
	private static final Map<Path, Path> EXTRACTED = new ConcurrentHashMap<>();

	private final String name;

	private final Path jar;

	private final Path workdir;

	private final Map<String, String> environment;

	private final List<String> arguments;

	private Process process;

	/** The HTTP port, for instances started during a test. */
	int port;

	ServiceProcess(String name, Path jar, Path workdir, Map<String, String> environment, List<String> arguments) {
		this.name = name;
		this.jar = jar;
		this.workdir = workdir;
		this.environment = environment;
		this.arguments = arguments;
	}

	String name() {
		return this.name;
	}

	Path log() {
		return this.workdir.resolve("var/log/" + this.name + ".log");
	}

	/**
	 * @return the log of structured JSON lines (Elastic Common Schema)
	 */
	Path jsonLog() {
		return this.workdir.resolve("var/log/" + this.name + ".json");
	}

	synchronized void start() throws IOException {
		if (this.process != null && this.process.isAlive()) {
			throw new IllegalStateException(this.name + " is already running");
		}
		Files.createDirectories(log().getParent());
		String java = java();
		// The collections and safepoints go to a log of their own, so that a service
		// that stops answering for a while can be told from one whose heap is full or
		// whose threads wait for a safepoint.
		List<String> command = new ArrayList<>(
				List.of(java, "-XX:+UseSerialGC", "-Xss512k", "-Xmx256m", "-XX:TieredStopAtLevel=1",
						"-Xlog:gc,safepoint:file=" + gcLog() + ":uptime", "-jar", launchable(this.jar).toString()));
		command.addAll(this.arguments);
		// JSON lines beside the console's log, as scripts/local.sh writes them.
		command.add("--logging.file.name=" + jsonLog().toAbsolutePath());
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.workdir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
		builder.environment().putAll(this.environment);
		this.process = builder.start();
	}

	private static String java() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	/**
	 * @return the jar to start: the extracted copy of one of this project's services
	 * (made on first use), or the jar itself for anything else (the Zipkin server)
	 */
	private static Path launchable(Path jar) throws IOException {
		if (!isOurService(jar)) {
			return jar;
		}
		try {
			return EXTRACTED.computeIfAbsent(jar.toAbsolutePath().normalize(), ServiceProcess::extract);
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
	}

	private static boolean isOurService(Path jar) throws IOException {
		try (JarFile file = new JarFile(jar.toFile())) {
			return file.getEntry("BOOT-INF/classes/dev/bugtracker/") != null;
		}
	}

	/**
	 * Extracts the jar into {@code apps/<name>} beside the stacks' work directories,
	 * replacing what an earlier run left there (its jar may have been rebuilt since).
	 */
	private static Path extract(Path jar) {
		String name = jar.getFileName().toString();
		Path destination = Path.of(System.getProperty("bugtracker.workdir", "target/stack"))
			.resolve("apps")
			.resolve(name.substring(0, name.length() - ".jar".length()))
			.toAbsolutePath();
		try {
			deleteRecursively(destination);
			Files.createDirectories(destination.getParent());
			Path log = destination.getParent().resolve(destination.getFileName() + "-extract.log");
			Process extraction = new ProcessBuilder(java(), "-Djarmode=tools", "-jar", jar.toString(), "extract",
					"--destination", destination.toString())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			if (!extraction.waitFor(120, TimeUnit.SECONDS)) {
				extraction.destroyForcibly();
				throw new IOException("Extracting " + jar + " took more than 120 s; see " + log);
			}
			Path extracted = destination.resolve(name);
			if (extraction.exitValue() != 0 || !Files.isRegularFile(extracted)) {
				throw new IOException("Could not extract " + jar + " (exit " + extraction.exitValue() + "): "
						+ Files.readString(log));
			}
			return extracted;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new UncheckedIOException(new IOException("Interrupted while extracting " + jar, ex));
		}
	}

	private static void deleteRecursively(Path directory) throws IOException {
		if (!Files.exists(directory)) {
			return;
		}
		try (var paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

	/**
	 * @return where the JVM logs its collections and safepoints
	 */
	Path gcLog() {
		return this.workdir.resolve("var/log/" + this.name + "-gc.log").toAbsolutePath();
	}

	boolean isAlive() {
		return this.process != null && this.process.isAlive();
	}

	/** Kill the JVM at once (SIGKILL), as a crash would, without waiting. */
	synchronized void kill() {
		if (this.process != null) {
			this.process.destroyForcibly();
		}
	}

	/**
	 * Send a signal, e.g. {@code STOP} to freeze the process as a hung service would,
	 * {@code CONT} to let it go on.
	 */
	synchronized void signal(String signal) throws IOException, InterruptedException {
		if (this.process == null) {
			throw new IllegalStateException(this.name + " is not running");
		}
		int exit = new ProcessBuilder("kill", "-" + signal, String.valueOf(this.process.pid())).start().waitFor();
		if (exit != 0) {
			throw new IllegalStateException("kill -" + signal + " " + this.process.pid() + " failed");
		}
	}

	/** Send SIGTERM without waiting, so that several services can shut down at once. */
	synchronized void signalStop() {
		if (this.process != null) {
			this.process.destroy();
		}
	}

	/** SIGTERM, as an orchestrator would; SIGKILL if the JVM is not gone in 30 s. */
	synchronized void stop() {
		if (this.process == null) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		this.process = null;
	}

	String logText() {
		try {
			return Files.exists(log()) ? Files.readString(log()) : "";
		}
		catch (IOException ex) {
			return "";
		}
	}

	/** The last lines of the log, for the message of a failed wait. */
	String tail(int lines) {
		List<String> all = logText().lines().toList();
		return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
	}

	@Override
	public String toString() {
		return this.name + (isAlive() ? " (pid " + this.process.pid() + ")" : " (stopped)");
	}

}

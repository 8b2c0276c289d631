package dev.bugtracker.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * <p>
 * As in the image, each service then starts with a class-data-sharing archive made by one
 * training run (the context started, then the JVM exits): the classes are mapped from the
 * archive instead of being read, verified and parsed at every start, which halves a
 * start's time and CPU on an idle machine (6.4 s and 7.0 s of CPU against 3.3 s and 3.6 s
 * for users-service) and leaves the cores to the load a test puts on beside a start.
 */
final class ServiceProcess {

	/** The JVM options of every service process, the training run's included. */
	private static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xss512k", "-Xmx256m",
			"-XX:TieredStopAtLevel=1");

	/**
	 * The extracted copy of each executable jar and its class-data-sharing archive, made
	 * once per test JVM.
	 */
	private static final Map<Path, CompletableFuture<Launchable>> PREPARED = new ConcurrentHashMap<>();

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

	Path jar() {
		return this.jar;
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
		Launchable launchable = launchable(this.jar);
		List<String> command = new ArrayList<>(List.of(java));
		command.addAll(JVM_OPTIONS);
		if (launchable.archive() != null) {
			command.add("-XX:SharedArchiveFile=" + launchable.archive());
		}
		command.addAll(List.of("-Xlog:gc,safepoint:file=" + gcLog() + ":uptime", "-jar", launchable.jar().toString()));
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
	 * Extracts and trains the services of these jars two at a time (the machine's cores),
	 * rather than one after the other as their first starts would.
	 * @param jars executable jars of this project's services
	 * @throws IOException if one cannot be extracted
	 */
	static void prepare(Collection<Path> jars) throws IOException {
		ExecutorService workers = Executors.newFixedThreadPool(2);
		try {
			List<Future<Launchable>> prepared = new ArrayList<>();
			for (Path jar : jars) {
				prepared.add(workers.submit(() -> launchable(jar)));
			}
			for (Future<Launchable> one : prepared) {
				one.get();
			}
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw (ex.getCause() instanceof IOException io) ? io : new IOException(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while preparing " + jars, ex);
		}
		finally {
			workers.shutdownNow();
		}
	}

	/**
	 * @return what to start: the extracted copy of one of this project's services and its
	 * class-data-sharing archive (made on first use), or the jar itself for anything else
	 * (the Zipkin server)
	 */
	private static Launchable launchable(Path jar) throws IOException {
		if (!isOurService(jar)) {
			return new Launchable(jar, null);
		}
		Path key = jar.toAbsolutePath().normalize();
		CompletableFuture<Launchable> mine = new CompletableFuture<>();
		CompletableFuture<Launchable> first = PREPARED.putIfAbsent(key, mine);
		if (first == null) {
			try {
				Path extracted = extract(key);
				mine.complete(new Launchable(extracted, train(extracted)));
			}
			catch (RuntimeException ex) {
				PREPARED.remove(key, mine);
				mine.completeExceptionally(ex);
			}
			first = mine;
		}
		try {
			return first.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof UncheckedIOException io) {
				throw io.getCause();
			}
			throw ex;
		}
	}

	/**
	 * The training run of the image ({@code deployments/docker/Dockerfile}): the
	 * service's context started on an in-memory database, with placeholders for the
	 * secrets it refuses to start without, registering nowhere, then the JVM exits and
	 * writes the classes it loaded to an archive.
	 * @return the archive, or {@code null} (with a warning) if the run made none: the
	 * service then starts without one, only slower
	 */
	private static Path train(Path extracted) {
		Path archive = extracted.resolveSibling("app.jsa");
		Path log = extracted.getParent().resolveSibling(extracted.getParent().getFileName() + "-cds.log");
		List<String> command = new ArrayList<>(List.of(java()));
		command.addAll(JVM_OPTIONS);
		command.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
				"-Dspring.context.exit=onRefresh", "-jar", extracted.toString(), "--server.port=0",
				"--spring.grpc.server.port=0", "--spring.datasource.url=jdbc:h2:mem:cds-training",
				"--eureka.client.register-with-eureka=false", "--eureka.client.fetch-registry=false",
				"--logging.level.root=WARN"));
		ProcessBuilder builder = new ProcessBuilder(command).directory(extracted.getParent().toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		for (String secret : List.of("BUGS_SERVICE_CLIENT_SECRET", "IDEMPOTENCY_SECRET", "SIGNING_KEYS_SECRET",
				"EUREKA_PASSWORD")) {
			builder.environment().put(secret, "training-only");
		}
		try {
			Process training = builder.start();
			if (!training.waitFor(180, TimeUnit.SECONDS)) {
				training.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new UncheckedIOException(new IOException("Interrupted while training " + extracted, ex));
		}
		if (Files.isRegularFile(archive)) {
			return archive;
		}
		System.err.println("No class-data-sharing archive for " + extracted + " (see " + log
				+ "): its instances start without one");
		return null;
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

	/** What starts a service: a jar, and the class-data-sharing archive made for it. */
	private record Launchable(Path jar, Path archive) {
	}

	@Override
	public String toString() {
		return this.name + (isAlive() ? " (pid " + this.process.pid() + ")" : " (stopped)");
	}

}

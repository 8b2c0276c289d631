package dev.bugtracker.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged service running as its own JVM, with its output in a log file.
 */
final class ServiceProcess {

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
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xss512k", "-Xmx256m",
				"-XX:TieredStopAtLevel=1", "-jar", this.jar.toString()));
		command.addAll(this.arguments);
		// JSON lines beside the console's log, as scripts/local.sh writes them.
		command.add("--logging.file.name=" + jsonLog().toAbsolutePath());
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.workdir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
		builder.environment().putAll(this.environment);
		this.process = builder.start();
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

package dev.bugtracker.systemtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Concurrent clients that keep sending requests through the gateway until stopped, and
 * count every answer from the client's side: a failure is any non-2xx status or an
 * exception.
 */
final class Load implements AutoCloseable {

	private final ExecutorService clients;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final AtomicInteger succeeded = new AtomicInteger();

	private final List<String> failures = new CopyOnWriteArrayList<>();

	private final List<String> cutOff = new CopyOnWriteArrayList<>();

	private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();

	/** Steps that took this long are listed in the summary. */
	private static final long SLOW_MILLIS = 5000;

	private final List<String> slow = new CopyOnWriteArrayList<>();

	/** The longest step by the method of its last request, in milliseconds. */
	private final Map<String, Long> slowest = new ConcurrentHashMap<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	/**
	 * Starts {@code clients} clients; client {@code i} sends what
	 * {@code request.apply(i)} builds, again and again.
	 */
	Load(int clients, IntFunction<HttpRequest> request) {
		this(clients,
				(client, http) -> List.of(http.send(request.apply(client), HttpResponse.BodyHandlers.ofString())));
	}

	/**
	 * Starts {@code clients} clients; client {@code i} runs {@code step} again and again,
	 * and every answer of every step counts.
	 */
	Load(int clients, Step step) {
		this(clients, Integer.MAX_VALUE, step);
	}

	/**
	 * Starts {@code clients} clients that run {@code step} {@code steps} times in all,
	 * then stop by themselves.
	 */
	Load(int clients, int steps, Step step) {
		AtomicInteger remaining = new AtomicInteger(steps);
		this.clients = Executors.newFixedThreadPool(clients);
		for (int i = 0; i < clients; i++) {
			int client = i;
			this.clients.execute(() -> {
				while (this.running.get() && remaining.getAndDecrement() > 0) {
					Instant started = Instant.now();
					try {
						for (HttpResponse<String> response : step.run(client, this.http)) {
							count(response, started);
						}
					}
					catch (java.io.IOException ex) {
						this.cutOff.add(when(started) + ex);
					}
					catch (Exception ex) {
						this.failures.add(when(started) + ex);
					}
				}
			});
		}
	}

	private void count(HttpResponse<String> response, Instant started) {
		this.statuses.computeIfAbsent(response.statusCode(), (s) -> new AtomicInteger()).incrementAndGet();
		long millis = Duration.between(started, Instant.now()).toMillis();
		this.slowest.merge(response.request().method(), millis, Math::max);
		if (millis >= SLOW_MILLIS) {
			this.slow.add(when(started) + response.statusCode() + " " + response.request().method() + " "
					+ response.request().uri().getPath());
		}
		if (response.statusCode() / 100 == 2) {
			this.succeeded.incrementAndGet();
		}
		else {
			this.failures.add(when(started) + response.statusCode() + " " + response.request().method() + " "
					+ response.request().uri().getPath() + " " + response.body());
		}
	}

	/**
	 * When the step that failed started and how long it ran, to line a failure up with
	 * the logs of the services and of a release.
	 */
	private static String when(Instant started) {
		return "(" + started + ", " + Duration.between(started, Instant.now()).toMillis() + " ms) ";
	}

	/** Waits until a load of a limited number of steps has run them all. */
	void awaitFinished(Duration timeout) throws InterruptedException {
		this.clients.shutdown();
		if (!this.clients.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new AssertionError("The load did not finish within " + timeout + ": " + summary());
		}
	}

	/**
	 * Keeps the load on for a while. Not a wait for a condition: the point is to keep
	 * sending for that long.
	 */
	void keepGoingFor(Duration duration) throws InterruptedException {
		Thread.sleep(duration.toMillis());
	}

	/**
	 * What one client does in one round: one or more requests that depend on each other.
	 */
	@FunctionalInterface
	interface Step {

		List<HttpResponse<String>> run(int client, HttpClient http) throws Exception;

	}

	/** Reads of one user, and keyed registrations, alternating per client. */
	static Load readsAndKeyedWrites(int clients, URI gateway, int userId) {
		return new Load(clients, (client) -> {
			if (client % 4 == 3) {
				return HttpRequest.newBuilder(gateway.resolve("/users"))
					.timeout(Duration.ofSeconds(20))
					.header("Content-Type", "application/json")
					.header("Idempotency-Key", UUID.randomUUID().toString())
					.POST(BodyPublishers.ofString("{\"email\": \"load-" + UUID.randomUUID() + "@example.com\"}"))
					.build();
			}
			return HttpRequest.newBuilder(gateway.resolve("/users/" + userId))
				.timeout(Duration.ofSeconds(20))
				.GET()
				.build();
		});
	}

	int succeeded() {
		return this.succeeded.get();
	}

	/** Answers other than 2xx, and errors other than a broken connection. */
	List<String> failures() {
		return this.failures;
	}

	/**
	 * Requests whose connection to the gateway broke: the gateway is up in these tests,
	 * so it cut an answer off, as when the instance behind it died while the answer was
	 * being streamed (too late to retry).
	 */
	List<String> cutOff() {
		return this.cutOff;
	}

	/**
	 * The first failures, each on one line and cut short, for the first line of a failed
	 * check's message (a build's summary shows only the start of it).
	 */
	String failuresInBrief() {
		return this.failures.stream()
			.limit(5)
			.map((failure) -> failure.replaceAll("\\s+", " "))
			.map((failure) -> (failure.length() > 300) ? failure.substring(0, 300) + "..." : failure)
			.collect(java.util.stream.Collectors.joining(" | ", "[", "]"));
	}

	String summary() {
		return this.succeeded.get() + " succeeded, " + this.failures.size() + " failed, " + this.cutOff.size()
				+ " cut off, by status " + this.statuses + ", slowest step in ms by method " + this.slowest
				+ ", steps of " + SLOW_MILLIS + " ms or more: " + this.slow.stream().limit(10).toList();
	}

	@Override
	public void close() {
		this.running.set(false);
		this.clients.shutdown();
		try {
			this.clients.awaitTermination(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

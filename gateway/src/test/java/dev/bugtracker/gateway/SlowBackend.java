package dev.bugtracker.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP service on a free port that holds every request for a while before it
 * answers 200, counting how many it held at once; and a client that sends a burst of
 * concurrent requests.
 */
final class SlowBackend implements AutoCloseable {

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger peak = new AtomicInteger();

	private final AtomicInteger requests = new AtomicInteger();

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);

	private final HttpServer server;

	SlowBackend(Duration hold) {
		this(hold, 0);
	}

	/** A backend on a given port (0: a free one), e.g. to bring one back where it was. */
	SlowBackend(Duration hold, int port) {
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		// Answers later from a timer instead of holding a thread: the exchange stays open
		// meanwhile.
		this.server.createContext("/", (exchange) -> {
			this.requests.incrementAndGet();
			exchange.getRequestBody().readAllBytes();
			this.peak.accumulateAndGet(this.inFlight.incrementAndGet(), Math::max);
			this.timer.schedule(() -> {
				this.inFlight.decrementAndGet();
				byte[] body = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
				return null;
			}, hold.toMillis(), TimeUnit.MILLISECONDS);
		});
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	String uri() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	/** The requests this backend has received. */
	int requests() {
		return this.requests.get();
	}

	/** The most requests this backend held at the same time. */
	int peakConcurrency() {
		return this.peak.get();
	}

	void resetPeakConcurrency() {
		this.peak.set(0);
	}

	/** Sends {@code count} GETs at once and returns their responses in order. */
	static List<HttpResponse<String>> burst(URI uri, int count) throws Exception {
		ExecutorService clientThreads = Executors.newFixedThreadPool(8);
		try {
			HttpClient http = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_1_1)
				.executor(clientThreads)
				.build();
			List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				calls.add(http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
						HttpResponse.BodyHandlers.ofString()));
			}
			List<HttpResponse<String>> responses = new ArrayList<>();
			for (CompletableFuture<HttpResponse<String>> call : calls) {
				responses.add(call.get(30, TimeUnit.SECONDS));
			}
			return responses;
		}
		finally {
			clientThreads.shutdownNow();
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
		this.timer.shutdownNow();
	}

}

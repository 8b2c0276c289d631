package dev.bugtracker.platform.startup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * Sends the service's own hot paths a few rounds of requests after its web server has
 * started and before it reports ready, so that the first requests of its callers do not
 * pay for the first use of every class and cache on the way. Readiness (and with it the
 * registration as {@code UP}, see {@code ReadyInTheRegistry}) comes after the runners, so
 * no caller is sent to an instance that is still warming up.
 * <p>
 * Measured on 2 busy cores: the first four sign-ups that reached a cold users-service
 * took 2.3 s each, 0.3 s after 20 rounds of a read and a refused sign-up (4 s of
 * warm-up); in a rolling upgrade under load through the gateway, sign-ups that met a new
 * instance took up to 7 s (docs/benchmarks.md).
 * <p>
 * The requests go to the instance itself over loopback (or {@code server.address}), carry
 * a header with a secret made for this process, and are left out of the
 * {@code http.server.requests} observations (metrics, traces) by
 * {@link #isWarmUp(String)}: a client that sends the header has no way to know the value.
 * A request that cannot be sent ends the warm-up, never the start.
 */
public class WarmUp implements ApplicationRunner {

	/** The header that marks the warm-up's requests. */
	public static final String HEADER = "X-Bugtracker-Warm-Up";

	private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

	private final WarmUpProperties properties;

	private final ApplicationContext context;

	private final @Nullable String address;

	private final byte[] secret;

	/**
	 * @param properties what to send
	 * @param context the application context, whose web server is asked for its port
	 * @param address {@code server.address}, or null when the server listens on every
	 * address
	 */
	public WarmUp(WarmUpProperties properties, ApplicationContext context, @Nullable String address) {
		this.properties = properties;
		this.context = context;
		this.address = address;
		byte[] random = new byte[16];
		new SecureRandom().nextBytes(random);
		this.secret = HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
	}

	@Override
	public void run(ApplicationArguments args) {
		int port = port();
		if (!this.properties.enabled() || this.properties.requests().isEmpty() || port <= 0) {
			return;
		}
		String host = (this.address == null || this.address.isBlank() || "0.0.0.0".equals(this.address)
				|| "::".equals(this.address)) ? "127.0.0.1" : this.address;
		long start = System.nanoTime();
		long deadline = start + this.properties.maxDuration().toNanos();
		Map<Integer, Integer> statuses = new TreeMap<>();
		int rounds = 0;
		rounds: while (rounds < this.properties.rounds()) {
			for (WarmUpProperties.Request request : this.properties.requests()) {
				if (System.nanoTime() > deadline) {
					break rounds;
				}
				try {
					int status = send(host, port, request);
					if (status >= 500 && !statuses.containsKey(status)) {
						log.warn(
								"Warm-up request {} {} answered {}: it should change nothing and succeed or be "
										+ "refused (bugtracker.warm-up.requests)",
								request.method(), request.path(), status);
					}
					statuses.merge(status, 1, Integer::sum);
				}
				catch (IOException | RuntimeException ex) {
					log.warn("Warm-up stopped after {} rounds: {} {} failed: {}", rounds, request.method(),
							request.path(), ex.toString());
					return;
				}
			}
			rounds++;
		}
		log.info("Warmed up in {} ms: {} rounds of {} requests to itself, answers by status {}",
				(System.nanoTime() - start) / 1_000_000, rounds, this.properties.requests().size(), statuses);
	}

	/**
	 * Whether a request's warm-up header is this process's own.
	 * @param header the header's value, or null
	 * @return whether the request is one of the warm-up's
	 */
	public boolean isWarmUp(@Nullable String header) {
		return header != null && MessageDigest.isEqual(this.secret, header.getBytes(StandardCharsets.US_ASCII));
	}

	private int port() {
		if (this.context instanceof WebServerApplicationContext web) {
			WebServer server = web.getWebServer();
			return (server != null) ? server.getPort() : -1;
		}
		return -1;
	}

	private int send(String host, int port, WarmUpProperties.Request request) throws IOException {
		URI uri = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + request.path());
		HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
		int timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(1000, this.properties.maxDuration().toMillis()));
		connection.setConnectTimeout(timeout);
		connection.setReadTimeout(timeout);
		connection.setRequestMethod(request.method());
		connection.setRequestProperty(HEADER, new String(this.secret, StandardCharsets.US_ASCII));
		connection.setRequestProperty("Accept", "application/json");
		if (request.body() != null) {
			byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
			connection.setDoOutput(true);
			connection.setRequestProperty("Content-Type", "application/json");
			connection.setFixedLengthStreamingMode(body.length);
			try (OutputStream out = connection.getOutputStream()) {
				out.write(body);
			}
		}
		int status = connection.getResponseCode();
		// Read to the end and do not disconnect: the connection is kept for the next one.
		try (InputStream in = (status >= 400) ? connection.getErrorStream() : connection.getInputStream()) {
			if (in != null) {
				in.transferTo(OutputStream.nullOutputStream());
			}
		}
		return status;
	}

}

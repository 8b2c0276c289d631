package dev.bugtracker.systemtests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind a proxy, every client is still itself: Debian's nginx stands in for the Ingress
 * in front of the gateway, appending the client's address to {@code X-Forwarded-For} as
 * ingress-nginx does, from the one address the gateway trusts
 * ({@code bugtracker.edge.trusted-proxies}). Two clients behind it, from two addresses,
 * are throttled separately; a client that forges {@code X-Forwarded-For} through it keeps
 * its own address in the audit log and in the throttle; and a client that talks to the
 * gateway directly cannot claim an address at all.
 * <p>
 * Needs nginx ({@code apt-get install nginx-light}); CI installs it
 * ({@code BUGTRACKER_OBSERVABILITY_TESTS=required} makes a missing one a failure, as for
 * Prometheus).
 */
@ExtendWith(StackExtension.class)
class TrustedProxyIT {

	private static final String CLIENT_A = "127.0.0.2";

	private static final String CLIENT_B = "127.0.0.3";

	@Test
	void clientsBehindTheIngressAreThrottledSeparatelyAndCannotForgeTheirAddress(Stack stack) throws Exception {
		Path nginx = Path.of("/usr/sbin/nginx");
		if (!Files.isExecutable(nginx)) {
			assertThat(System.getenv("BUGTRACKER_OBSERVABILITY_TESTS"))
				.as("nginx is missing: apt-get install nginx-light")
				.isNotEqualTo("required");
			org.junit.jupiter.api.Assumptions.abort("nginx is not installed (apt-get install nginx-light)");
		}
		Stack.Account account = stack.signUp("proxied-" + UUID.randomUUID() + "@example.com");
		String wrong = "Basic " + Base64.getEncoder()
			.encodeToString((account.email() + ":not the password").getBytes(StandardCharsets.UTF_8));
		int port = Stack.freePort();
		Process proxy = startNginx(stack, port);
		try {
			stack.await(Duration.ofSeconds(30), "nginx proxies to the gateway",
					() -> status(CLIENT_B, port, "/users/me", account.basic(), null) == 200);

			// Client A guesses: after five failures its attempts wait.
			List<Integer> guesses = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				guesses.add(status(CLIENT_A, port, "/users/me", wrong, null));
			}
			assertThat(guesses).as("client A's guesses").startsWith(401, 401, 401, 401, 401).contains(429);
			// Client B, behind the same proxy, is another client.
			assertThat(status(CLIENT_B, port, "/users/me", account.basic(), null))
				.as("client B with the right password, behind the same proxy")
				.isEqualTo(200);
			// Client A claims another address: it is still client A, still waiting.
			assertThat(status(CLIENT_A, port, "/users/me", account.basic(), "198.51.100.77"))
				.as("client A with the right password and a forged X-Forwarded-For")
				.isEqualTo(429);
			// A direct client cannot claim the proxy's address, or any.
			stack.send(java.net.http.HttpRequest.newBuilder(stack.uri(stack.gatewayPort, "/users/me"))
				.header("Authorization", wrong)
				.header("X-Forwarded-For", "203.0.113.50"));

			HttpResponseBody audit = new HttpResponseBody(stack
				.json("GET", stack.gatewayPort, "/auth/audit?type=LOGIN_FAILED&actor=" + account.email() + "&size=50",
						null, "Authorization", stack.admin().bearer())
				.body());
			List<String> addresses = JsonPath.read(audit.body(), "$.content[*].clientAddress");
			assertThat(addresses).as("where the failed logins came from, by the audit log")
				.containsOnly(CLIENT_A, "127.0.0.1")
				.contains(CLIENT_A, "127.0.0.1");
		}
		finally {
			proxy.destroy();
			if (!proxy.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
				proxy.destroyForcibly();
			}
		}
	}

	private record HttpResponseBody(String body) {
	}

	/**
	 * nginx as an Ingress: listens on 127.0.0.1, appends the peer's address to
	 * {@code X-Forwarded-For} and connects to the gateway from the trusted address.
	 */
	private static Process startNginx(Stack stack, int port) throws IOException {
		Path dir = stack.workdir.resolve("nginx-" + System.currentTimeMillis());
		Files.createDirectories(dir.resolve("temp"));
		String config = """
				daemon off;
				master_process off;
				worker_processes 1;
				pid %1$s/nginx.pid;
				error_log %1$s/error.log warn;
				events { worker_connections 64; }
				http {
				  access_log %1$s/access.log;
				  client_body_temp_path %1$s/temp/body;
				  proxy_temp_path %1$s/temp/proxy;
				  fastcgi_temp_path %1$s/temp/fastcgi;
				  uwsgi_temp_path %1$s/temp/uwsgi;
				  scgi_temp_path %1$s/temp/scgi;
				  server {
				    listen 127.0.0.1:%2$d;
				    location / {
				      proxy_pass http://127.0.0.1:%3$d;
				      proxy_bind %4$s;
				      proxy_http_version 1.1;
				      proxy_set_header Host $host;
				      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
				    }
				  }
				}
				""".formatted(dir, port, stack.gatewayPort, Stack.TRUSTED_PROXY);
		Files.writeString(dir.resolve("nginx.conf"), config);
		return new ProcessBuilder("/usr/sbin/nginx", "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
				"-c", dir.resolve("nginx.conf").toString())
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("nginx.out").toFile())
			.start();
	}

	/**
	 * A GET from a given local address (Java's HttpClient cannot choose one on Java 17):
	 * HTTP/1.1 over a socket, the status of the answer.
	 */
	private static int status(String from, int port, String path, String authorization, String forwardedFor)
			throws IOException {
		try (Socket socket = new Socket()) {
			socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
			socket.setSoTimeout(30_000);
			String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: "
					+ authorization + "\r\n"
					+ ((forwardedFor != null) ? "X-Forwarded-For: " + forwardedFor + "\r\n" : "")
					+ "Accept: application/json\r\nConnection: close\r\n\r\n";
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			StringBuilder statusLine = new StringBuilder();
			int b;
			while ((b = in.read()) != -1 && b != '\n') {
				statusLine.append((char) b);
			}
			in.readAllBytes();
			String[] parts = statusLine.toString().split(" ");
			return (parts.length > 1) ? Integer.parseInt(parts[1]) : -1;
		}
	}

}

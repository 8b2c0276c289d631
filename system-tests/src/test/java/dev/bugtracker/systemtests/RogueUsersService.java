package dev.bugtracker.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * A rogue users-service, as a compromised container or a stranger on the network would
 * run one: an HTTP server with a key pair of its own that serves its public key as the
 * JWKS, answers {@code {}} to everything else, and records every request it gets. The
 * tests try to register it with the registry as {@code USERS-SERVICE} and check what
 * reaches it.
 */
final class RogueUsersService implements AutoCloseable {

	private final KeyPair key;

	private final HttpServer server;

	private final List<String> received = new CopyOnWriteArrayList<>();

	/**
	 * Starts it.
	 * @param host the address to listen on
	 * @param kid the key id its JWKS gives its key
	 */
	RogueUsersService(String host, String kid) {
		try {
			this.key = KeyPairGenerator.getInstance("RSA").generateKeyPair();
			this.server = HttpServer.create(new InetSocketAddress(host, 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
		this.server.createContext("/", (exchange) -> {
			this.received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI()
					+ (exchange.getRequestHeaders().containsKey("Authorization") ? " with credentials" : ""));
			byte[] body = (exchange.getRequestURI().getPath().equals("/oauth2/jwks") ? jwks(this.key, kid) : "{}")
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.server.start();
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	/** Its key pair, whose private half signs the tokens it forges. */
	KeyPair key() {
		return this.key;
	}

	/** Every request it got: method, URI, and whether it carried credentials. */
	List<String> received() {
		return this.received;
	}

	/**
	 * @return its Eureka registration as users-service at the given address, with the
	 * instance id {@code rogue:<port>}, whose lease lasts 2 minutes without a renewal
	 */
	String registration(String host) {
		return """
				{"instance": {"instanceId": "rogue:%2$d", "app": "USERS-SERVICE", "hostName": "%1$s",
				 "ipAddr": "%1$s", "vipAddress": "users-service", "status": "UP",
				 "port": {"$": %2$d, "@enabled": "true"}, "leaseInfo": {"renewalIntervalInSecs": 30, "durationInSecs": 120},
				 "dataCenterInfo": {"@class": "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", "name": "MyOwn"}}}
				"""
			.formatted(host, port());
	}

	/** Its instance id in the registry, once registered. */
	String instanceId() {
		return "rogue:" + port();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	private static String jwks(KeyPair key, String kid) {
		RSAPublicKey publicKey = (RSAPublicKey) key.getPublic();
		Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
		return "{\"keys\": [{\"kty\": \"RSA\", \"alg\": \"RS256\", \"use\": \"sig\", \"kid\": \"" + kid
				+ "\", \"n\": \"" + url.encodeToString(unsigned(publicKey.getModulus().toByteArray())) + "\", \"e\": \""
				+ url.encodeToString(unsigned(publicKey.getPublicExponent().toByteArray())) + "\"}]}";
	}

	private static byte[] unsigned(byte[] bytes) {
		return (bytes.length > 1 && bytes[0] == 0) ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
	}

}

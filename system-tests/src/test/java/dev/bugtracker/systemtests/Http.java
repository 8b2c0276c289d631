package dev.bugtracker.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One HTTP exchange of a system test, with its failures unchecked. */
final class Http {

	private Http() {
	}

	static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request, Duration timeout) {
		return send(client, request.timeout(timeout).build());
	}

	static HttpResponse<String> send(HttpClient client, HttpRequest request) {
		try {
			return client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}

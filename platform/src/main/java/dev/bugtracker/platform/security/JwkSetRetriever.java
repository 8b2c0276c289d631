package dev.bugtracker.platform.security;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.List;

import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.RequestEntity;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestOperations;

/**
 * Fetches the JWK set through a {@link RestOperations} (load-balanced: each fetch goes to
 * the next instance that has not just failed). A fetch that fails in any way, whether the
 * connection, a timeout or an error answer, is an {@link IOException}, which is what the
 * Nimbus JWK source retries on and reports as the key source being unavailable.
 */
final class JwkSetRetriever implements ResourceRetriever {

	private static final MediaType JWK_SET = MediaType.parseMediaType("application/jwk-set+json");

	private final RestOperations rest;

	JwkSetRetriever(RestOperations rest) {
		this.rest = rest;
	}

	@Override
	public Resource retrieveResource(URL url) throws IOException {
		HttpHeaders headers = new HttpHeaders();
		headers.setAccept(List.of(MediaType.APPLICATION_JSON, JWK_SET));
		try {
			ResponseEntity<String> response = this.rest
				.exchange(new RequestEntity<>(headers, HttpMethod.GET, url.toURI()), String.class);
			if (response.getBody() == null) {
				throw new IOException("The JWK set at " + url + " answered with no body");
			}
			MediaType type = response.getHeaders().getContentType();
			return new Resource(response.getBody(), (type != null) ? type.toString() : null);
		}
		catch (RestClientException ex) {
			throw new IOException("Could not fetch the JWK set at " + url + ": " + ex.getMessage(), ex);
		}
		catch (URISyntaxException ex) {
			throw new IOException("Not a URI: " + url, ex);
		}
	}

}

package dev.bugtracker.platform.web;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads the body of a form-encoded POST to one of the configured paths as JSON.
 * <p>
 * {@code curl -XPOST url -d '{"email": "someone@example.com"}'} sends JSON labelled
 * {@code application/x-www-form-urlencoded}. The tutorial's calls do exactly that, so the
 * {@code /create} endpoints relabel such a request as {@code application/json} before
 * anything parses it as a form. Other paths keep strict media types (415).
 */
class FormEncodedJsonFilter extends OncePerRequestFilter {

	private final Set<String> paths;

	FormEncodedJsonFilter(WebProperties properties) {
		this.paths = Set.copyOf(properties.formEncodedJsonPaths());
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod()) || !this.paths.contains(request.getRequestURI())
				|| !isFormEncoded(request.getContentType());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(new JsonRequest(request), response);
	}

	private static boolean isFormEncoded(String contentType) {
		if (contentType == null) {
			return false;
		}
		try {
			return MediaType.APPLICATION_FORM_URLENCODED.equalsTypeAndSubtype(MediaType.parseMediaType(contentType));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/** The same request, labelled as UTF-8 JSON. */
	private static final class JsonRequest extends HttpServletRequestWrapper {

		private static final String JSON = "application/json;charset=UTF-8";

		JsonRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public String getContentType() {
			return JSON;
		}

		@Override
		public String getHeader(String name) {
			return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name) ? JSON : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name) ? Collections.enumeration(Set.of(JSON))
					: super.getHeaders(name);
		}

	}

}

package dev.bugtracker.platform.idempotency;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import dev.bugtracker.platform.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Makes POSTs with an {@code Idempotency-Key} header safe to retry: the first request
 * claims the key and runs; a repeat with the same key and the same request gets the first
 * answer again ({@code Idempotent-Replayed: true}) and creates nothing; the same key with
 * a different request gets 422; a repeat while the first is still running gets 409 with
 * {@code Retry-After}. Answers with a 5xx status are not remembered, so the client can
 * try again.
 */
class IdempotencyFilter extends OncePerRequestFilter {

	static final String HEADER = "Idempotency-Key";

	static final String REPLAYED = "Idempotent-Replayed";

	private final IdempotencyStore store;

	private final IdempotencyProperties properties;

	private final ProblemWriter problems;

	private final AntPathMatcher matcher = new AntPathMatcher();

	IdempotencyFilter(IdempotencyStore store, IdempotencyProperties properties, ProblemWriter problems) {
		this.store = store;
		this.properties = properties;
		this.problems = problems;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		if (!"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null) {
			return true;
		}
		List<String> paths = this.properties.paths();
		return paths.stream().noneMatch((pattern) -> this.matcher.match(pattern, request.getRequestURI()));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String key = request.getHeader(HEADER).trim();
		if (key.isEmpty() || key.length() > 200 || !key.chars().allMatch((c) -> c > 0x20 && c < 0x7f)) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
					"'" + HEADER + "' must be 1 to 200 visible ASCII characters");
			problem.setProperty("errors", List.of(java.util.Map.of("field", HEADER, "message", problem.getDetail())));
			this.problems.write(request, response, problem);
			return;
		}
		byte[] body = request.getInputStream().readAllBytes();
		String fingerprint = fingerprint(request, body);
		Optional<IdempotencyStore.Record> existing = this.store.claim(key, fingerprint, this.properties.ttl(),
				this.properties.lease());
		if (existing.isPresent()) {
			answerRepeat(request, response, existing.get(), fingerprint);
			return;
		}
		ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
		boolean completed = false;
		try {
			chain.doFilter(new CachedBodyRequest(request, body), captured);
			int status = captured.getStatus();
			if (status < 500) {
				this.store.complete(key, status, captured.getContentType(), captured.getHeader(HttpHeaders.LOCATION),
						new String(captured.getContentAsByteArray(), StandardCharsets.UTF_8));
				completed = true;
			}
		}
		finally {
			if (!completed) {
				this.store.release(key);
			}
			captured.copyBodyToResponse();
		}
	}

	private void answerRepeat(HttpServletRequest request, HttpServletResponse response, IdempotencyStore.Record record,
			String fingerprint) throws IOException {
		if (!record.fingerprint().equals(fingerprint)) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
					"This Idempotency-Key was already used for a different request");
			problem.setProperty("errors", List.of(java.util.Map.of("field", HEADER, "message", problem.getDetail())));
			this.problems.write(request, response, problem);
			return;
		}
		if (!record.completed()) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
					"A request with this Idempotency-Key is still being processed; retry shortly");
			response.setHeader(HttpHeaders.RETRY_AFTER, "1");
			this.problems.write(request, response, problem);
			return;
		}
		response.setStatus(record.status());
		if (record.contentType() != null) {
			response.setContentType(record.contentType());
		}
		if (record.location() != null) {
			response.setHeader(HttpHeaders.LOCATION, record.location());
		}
		response.setHeader(REPLAYED, "true");
		if (record.body() != null) {
			response.getOutputStream().write(record.body().getBytes(StandardCharsets.UTF_8));
		}
	}

	private static String fingerprint(HttpServletRequest request, byte[] body) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update((request.getMethod() + " " + request.getRequestURI() + "?" + request.getQueryString() + "\n")
				.getBytes(StandardCharsets.UTF_8));
			digest.update(body);
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The request with its body read once and served again from memory. */
	private static final class CachedBodyRequest extends HttpServletRequestWrapper {

		private final byte[] body;

		CachedBodyRequest(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return in.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("Asynchronous reads of a cached body");
				}

			};
		}

		@Override
		public BufferedReader getReader() {
			return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
		}

	}

}

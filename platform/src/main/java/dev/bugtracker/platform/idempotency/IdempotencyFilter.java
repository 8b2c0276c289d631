package dev.bugtracker.platform.idempotency;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.bugtracker.platform.web.ProblemWriter;
import dev.bugtracker.platform.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Makes writes with an {@code Idempotency-Key} header safe to retry: a repeat with the
 * same key and the same request gets the first answer again ({@code Idempotent-Replayed:
 * true}) and changes nothing; the same key with a different request gets 422.
 * <p>
 * A key belongs to its caller: the filter runs after Spring Security, so a request is
 * authenticated and authorized before any stored answer is looked up, and the record is
 * stored under the caller (the authenticated principal, or "anonymous" for callers
 * without a credential) and the key. Another caller with the same key, or an anonymous
 * one, runs its own request instead of getting someone else's answer. Answers that refuse
 * the caller (401, 403, 429) never reach the filter or are never recorded, so that a
 * retry with valid credentials, or after the wait, runs. Records hold HMAC-SHA256 digests
 * made with the service's secret ({@code IDEMPOTENCY_SECRET}), of the caller and key and
 * of the request: a copy of the table does not let anyone test guesses of a request body
 * (a password at sign-up) against its fingerprint.
 * <p>
 * The request runs in one transaction that the service's own transactions join, and its
 * answer is recorded under the key in that transaction, after the change: the change and
 * its record commit together or not at all. A crash before the commit leaves neither, so
 * the client's retry runs afresh, at once; after it, the retry gets the recorded answer.
 * Two concurrent requests with one key may both run, but only one can commit its record:
 * the other one's change is rolled back and it answers with the winner's answer. Answers
 * with a 5xx status are not recorded (their change is rolled back), so the client can try
 * again. A 4xx answer whose change failed is recorded on its own.
 * <p>
 * The transaction takes a database connection only when the request first uses the
 * database (the data source is lazy, see {@link IdempotencyAutoConfiguration}), so a
 * request that calls another service first holds no connection meanwhile.
 */
class IdempotencyFilter extends OncePerRequestFilter {

	static final String HEADER = "Idempotency-Key";

	static final String REPLAYED = "Idempotent-Replayed";

	private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

	/** Answers that refuse the caller rather than the request: never recorded. */
	private static final Set<Integer> REFUSALS = Set.of(401, 403, 429);

	private final IdempotencyStore store;

	private final TransactionTemplate transactions;

	private final IdempotencyProperties properties;

	private final ProblemWriter problems;

	private final AntPathMatcher matcher = new AntPathMatcher();

	private final SecretKeySpec secret;

	IdempotencyFilter(IdempotencyStore store, TransactionTemplate transactions, IdempotencyProperties properties,
			ProblemWriter problems, String secret) {
		this.store = store;
		this.transactions = transactions;
		this.properties = properties;
		this.problems = problems;
		this.secret = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		if (!METHODS.contains(request.getMethod()) || request.getHeader(HEADER) == null) {
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
		try {
			runOnce(request, response, chain, recordKey(key), body);
		}
		catch (RuntimeException ex) {
			if (!Problems.isDatabaseUnavailable(ex) || response.isCommitted()) {
				throw ex;
			}
			// Nothing was committed: the change and its record go together.
			response.reset();
			response.setHeader(HttpHeaders.RETRY_AFTER, Problems.DATABASE_RETRY_AFTER);
			this.problems.write(request, response, Problems.databaseUnavailable());
		}
	}

	private void runOnce(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String key,
			byte[] body) throws IOException, ServletException {
		String fingerprint = fingerprint(request, body);
		Optional<IdempotencyStore.Record> existing = this.store.find(key);
		if (existing.isPresent()) {
			answerRepeat(request, response, existing.get(), fingerprint);
			return;
		}
		ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
		Outcome outcome;
		try {
			outcome = this.transactions.execute((transaction) -> {
				try {
					chain.doFilter(new CachedBodyRequest(request, body), captured);
				}
				catch (IOException | ServletException ex) {
					throw new ChainException(ex);
				}
				if (captured.getStatus() >= 500 || REFUSALS.contains(captured.getStatus())) {
					transaction.setRollbackOnly();
					return Outcome.NOT_RECORDED;
				}
				if (transaction.isRollbackOnly()) {
					// The change failed (and was answered with a 4xx): nothing to guard.
					transaction.setRollbackOnly();
					return Outcome.FAILED_CHANGE;
				}
				this.store.record(key, answer(captured, fingerprint), this.properties.ttl());
				return Outcome.RECORDED;
			});
			if (outcome == Outcome.FAILED_CHANGE) {
				this.transactions.executeWithoutResult(
						(transaction) -> this.store.record(key, answer(captured, fingerprint), this.properties.ttl()));
			}
		}
		catch (ChainException ex) {
			throw ex.unwrap();
		}
		catch (DuplicateKeyException ex) {
			// A concurrent request with this key committed first; this one's change is
			// rolled back, and the client gets the first answer.
			response.reset();
			Optional<IdempotencyStore.Record> winner = this.store.find(key);
			if (winner.isPresent()) {
				answerRepeat(request, response, winner.get(), fingerprint);
				return;
			}
			throw ex;
		}
		captured.copyBodyToResponse();
	}

	private static IdempotencyStore.Record answer(ContentCachingResponseWrapper captured, String fingerprint) {
		return new IdempotencyStore.Record(fingerprint, captured.getStatus(), captured.getContentType(),
				captured.getHeader(HttpHeaders.LOCATION),
				new String(captured.getContentAsByteArray(), StandardCharsets.UTF_8));
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

	/**
	 * @return what the record of a key is stored under: a digest of the caller and the
	 * key
	 */
	private String recordKey(String key) {
		Mac mac = mac();
		mac.update((caller() + "\n").getBytes(StandardCharsets.UTF_8));
		mac.update(key.getBytes(StandardCharsets.UTF_8));
		return HexFormat.of().formatHex(mac.doFinal());
	}

	/**
	 * @return who sends the request, as Spring Security authenticated it
	 */
	private static String caller() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken) {
			return "anonymous";
		}
		return "principal:" + authentication.getName();
	}

	private String fingerprint(HttpServletRequest request, byte[] body) {
		Mac mac = mac();
		mac.update((request.getMethod() + " " + request.getRequestURI() + "?" + request.getQueryString() + "\n")
			.getBytes(StandardCharsets.UTF_8));
		mac.update(body);
		return HexFormat.of().formatHex(mac.doFinal());
	}

	private Mac mac() {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.secret);
			return mac;
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private enum Outcome {

		RECORDED, FAILED_CHANGE, NOT_RECORDED

	}

	/** Carries the chain's checked exceptions through the transaction callback. */
	private static final class ChainException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		ChainException(Exception cause) {
			super(cause);
		}

		IOException unwrap() throws ServletException {
			if (getCause() instanceof ServletException servlet) {
				throw servlet;
			}
			return (IOException) getCause();
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

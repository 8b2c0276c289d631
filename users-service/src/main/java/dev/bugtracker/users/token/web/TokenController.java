package dev.bugtracker.users.token.web;

import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.TreeSet;

import jakarta.validation.Valid;

import dev.bugtracker.platform.web.InvalidParameterException;
import dev.bugtracker.users.token.PersonalAccessTokenService;
import dev.bugtracker.users.token.PersonalAccessTokenService.Created;
import dev.bugtracker.users.security.Callers;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.ErrorResponseException;

/**
 * The caller's personal access tokens. Errors are mapped in {@link TokenErrors}.
 */
@RestController
@RequestMapping(path = "/auth/tokens", produces = MediaType.APPLICATION_JSON_VALUE)
class TokenController {

	private static final int DEFAULT_DAYS = 30;

	private final PersonalAccessTokenService tokens;

	private final Callers callers;

	TokenController(PersonalAccessTokenService tokens, Callers callers) {
		this.tokens = tokens;
		this.callers = callers;
	}

	/**
	 * Create a token; the answer is the only place its value is ever shown.
	 * @param request name, scopes and lifetime
	 * @param caller who is authenticated
	 * @return 201 with the token
	 */
	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<TokenResponse> create(@Valid @RequestBody CreateTokenRequest request, Principal caller) {
		if (this.callers.usesPersonalAccessToken(caller)) {
			// A leaked token must not be able to outlive its revocation by making others.
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
					"A personal access token cannot create tokens; authenticate with your password");
			problem.setTitle("Forbidden");
			throw new ErrorResponseException(HttpStatus.FORBIDDEN, problem, null);
		}
		TreeSet<String> unknown = new TreeSet<>(request.scopes());
		unknown.removeAll(this.tokens.allowedScopes());
		if (!unknown.isEmpty()) {
			throw new InvalidParameterException("scopes", "has unknown scopes " + unknown + "; known scopes are "
					+ new TreeSet<>(this.tokens.allowedScopes()));
		}
		int days = (request.expiresInDays() != null) ? request.expiresInDays() : DEFAULT_DAYS;
		if (days < 1 || days > this.tokens.maxDays()) {
			throw new InvalidParameterException("expiresInDays", "must be 1 to " + this.tokens.maxDays());
		}
		Created created = this.tokens.create(this.callers.idOf(caller), request.name(), request.scopes(), days);
		return ResponseEntity.created(URI.create("/auth/tokens/" + created.token().getId()))
			.body(TokenResponse.of(created.token(), created.value()));
	}

	/**
	 * @param caller who is authenticated
	 * @return the caller's tokens, without their values
	 */
	@GetMapping
	List<TokenResponse> list(Principal caller) {
		return this.tokens.list(this.callers.idOf(caller))
			.stream()
			.map((token) -> TokenResponse.of(token, null))
			.toList();
	}

	/**
	 * Revoke a token: within 30 s it works nowhere.
	 * @param id the token
	 * @param caller who is authenticated
	 * @return 204
	 */
	@DeleteMapping("/{id}")
	ResponseEntity<Void> revoke(@PathVariable long id, Principal caller) {
		this.tokens.revoke(this.callers.idOf(caller), id);
		return ResponseEntity.noContent().build();
	}

}

package dev.bugtracker.users.user.web;

import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import dev.bugtracker.users.security.Callers;
import dev.bugtracker.users.security.PasswordChecks;
import dev.bugtracker.users.user.Role;
import dev.bugtracker.users.user.User;
import dev.bugtracker.users.user.UserService;
import dev.bugtracker.users.user.WrongPasswordException;
import dev.bugtracker.platform.web.Paging;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PagedModel;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The users API. Errors are mapped in {@link UserErrors}.
 */
@RestController
@RequestMapping(path = "/users", produces = MediaType.APPLICATION_JSON_VALUE)
class UserController {

	private static final Set<String> SORTABLE = Set.of("id", "email", "createdAt");

	private final UserService users;

	private final Callers callers;

	private final PasswordChecks passwordChecks;

	UserController(UserService users, Callers callers, PasswordChecks passwordChecks) {
		this.users = users;
		this.callers = callers;
		this.passwordChecks = passwordChecks;
	}

	/**
	 * Register a user: the REST form.
	 * @param request the new user
	 * @return 201 with the user and its location
	 */
	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<UserResponse> create(@Valid @RequestBody CreateUserRequest request) {
		User user = this.users.register(request.email(), request.displayName(),
				PasswordRules.encodable(request.password()));
		return ResponseEntity.created(URI.create("/users/" + user.getId())).body(UserResponse.of(user));
	}

	/**
	 * Register a user: the tutorial's call. {@code curl -d '{...}'} labels JSON as a
	 * form, so this path also accepts that (the platform's form-encoded-JSON filter
	 * relabels it).
	 * @param request the new user
	 * @return 201 with the user and its location
	 */
	@PostMapping(path = "/create", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<UserResponse> createTutorialStyle(@Valid @RequestBody CreateUserRequest request) {
		return create(request);
	}

	/**
	 * Set the password with the token of the link in the welcome email.
	 * @param request the token and the new password
	 * @return 204
	 */
	@PostMapping(path = "/password", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Void> setPassword(@Valid @RequestBody SetPasswordRequest request) {
		this.users.setPassword(request.token(), PasswordRules.encodable(request.password()));
		return ResponseEntity.noContent().build();
	}

	/**
	 * Ask for a password reset link by email. The answer is the same whether an account
	 * has the address or not, and whether a link was sent in the last five minutes or
	 * not: it tells a stranger nothing.
	 * @param request the address
	 * @return 202
	 */
	@PostMapping(path = "/password/reset", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Void> resetPassword(@Valid @RequestBody PasswordResetRequest request) {
		try {
			this.users.requestPasswordReset(request.email());
		}
		catch (DuplicateKeyException ex) {
			// A reset email for this account is queued already in this five-minute
			// window.
		}
		return ResponseEntity.accepted().build();
	}

	/**
	 * Confirm the caller's address with the token of the welcome email's link.
	 * @param request the token
	 * @param caller who is authenticated: the account the link was sent for
	 * @return the account, now with its address proven
	 */
	@PostMapping(path = "/me/email-confirmation", consumes = MediaType.APPLICATION_JSON_VALUE)
	AccountResponse confirmEmail(@Valid @RequestBody EmailConfirmationRequest request, Principal caller) {
		User user = this.users.confirmEmail(request.token(), this.callers.idOf(caller));
		return AccountResponse.of(user, this.users.rolesOf(user));
	}

	/**
	 * Email the caller a new confirmation link (at most one per five minutes).
	 * @param caller who is authenticated
	 * @return 202 if a link is on its way, 204 if the address is proven already
	 */
	@PostMapping("/me/email-confirmation/resend")
	ResponseEntity<Void> resendConfirmation(Principal caller) {
		try {
			return this.users.resendConfirmation(this.callers.idOf(caller)) ? ResponseEntity.accepted().build()
					: ResponseEntity.noContent().build();
		}
		catch (DuplicateKeyException ex) {
			return ResponseEntity.accepted().build();
		}
	}

	/**
	 * Change the caller's password, given the current one (wrong ones count against the
	 * login throttle). Every token, session and authorization of the account is revoked.
	 * @param request the current and the new password
	 * @param caller who is authenticated
	 * @param http the request, for the client's address
	 * @return 204
	 */
	@PutMapping(path = "/me/password", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Void> changePassword(@Valid @RequestBody ChangePasswordRequest request, Principal caller,
			HttpServletRequest http) {
		long id = this.callers.idOf(caller);
		String newPassword = PasswordRules.encodable(request.newPassword());
		this.passwordChecks.check(this.users.get(id).getEmail(), http.getRemoteAddr(),
				() -> this.users.changePassword(id, request.currentPassword(), newPassword),
				WrongPasswordException.class);
		return ResponseEntity.noContent().build();
	}

	/**
	 * Sign out everywhere: every personal access token, login session and OAuth2
	 * authorization of the caller's account is revoked.
	 * @param caller who is authenticated
	 * @return 204
	 */
	@PostMapping("/me/sign-out-everywhere")
	ResponseEntity<Void> signOutEverywhere(Principal caller) {
		this.users.signOutEverywhere(this.callers.idOf(caller));
		return ResponseEntity.noContent().build();
	}

	/**
	 * Disable an account (admins only): it cannot sign in or use a token, and everything
	 * it holds is revoked.
	 * @param id the account
	 * @param caller the admin
	 * @return the account
	 */
	@PutMapping("/{id}/disabled")
	AccountResponse disable(@PathVariable long id, Principal caller) {
		User user = this.users.disable(id, this.callers.idOf(caller));
		return AccountResponse.of(user, this.users.rolesOf(user));
	}

	/**
	 * Enable a disabled account again (admins only).
	 * @param id the account
	 * @return the account
	 */
	@DeleteMapping("/{id}/disabled")
	AccountResponse enable(@PathVariable long id) {
		User user = this.users.enable(id);
		return AccountResponse.of(user, this.users.rolesOf(user));
	}

	/**
	 * The caller's own account.
	 * @param caller who is authenticated
	 * @return the account, email and roles included
	 */
	@GetMapping("/me")
	AccountResponse me(Principal caller) {
		User user = this.users.get(this.callers.idOf(caller));
		return AccountResponse.of(user, this.users.rolesOf(user));
	}

	/**
	 * Grant a role (admins only).
	 * @param id the user
	 * @param role {@code MAINTAINER} or {@code ADMIN}
	 * @return the user's account with their roles now
	 */
	@PutMapping("/{id}/roles/{role}")
	AccountResponse grant(@PathVariable long id, @PathVariable Role role) {
		User user = this.users.grant(id, role);
		return AccountResponse.of(user, this.users.rolesOf(user));
	}

	/**
	 * Take a role back (admins only). ADMIN named in configuration stays.
	 * @param id the user
	 * @param role {@code MAINTAINER} or {@code ADMIN}
	 * @return the user's account with their roles now
	 */
	@DeleteMapping("/{id}/roles/{role}")
	AccountResponse revoke(@PathVariable long id, @PathVariable Role role) {
		User user = this.users.revoke(id, role);
		return AccountResponse.of(user, this.users.rolesOf(user));
	}

	/**
	 * A user: everything for themselves and admins, a public profile without the email
	 * address for everyone else.
	 * @param id the user
	 * @param caller who is asking, if anyone
	 * @return the user
	 */
	@GetMapping("/{id}")
	UserResponse get(@PathVariable long id, Principal caller) {
		User user = this.users.get(id);
		return (this.callers.mayManage(caller, id)) ? UserResponse.of(user) : UserResponse.publicProfileOf(user);
	}

	/**
	 * List users (admins only), optionally by email, a page at a time, with the strict
	 * paging of every list endpoint ({@link Paging}).
	 * @param email only the user with this email (any case)
	 * @param sort {@code id}, {@code email} or {@code createdAt}, each optionally
	 * followed by {@code ,desc}; by id when absent
	 * @param page the page number, from 0
	 * @param size the page size, 1 to 100
	 * @return the page in Spring Data's {@code PagedModel} shape
	 */
	@GetMapping
	PagedModel<UserResponse> list(@RequestParam(required = false) String email,
			@RequestParam(required = false) List<String> sort, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "" + Paging.DEFAULT_SIZE) int size) {
		Pageable pageable = Paging.of(page, size, sort, SORTABLE, Sort.by("id"));
		return new PagedModel<>(this.users.list(email, pageable).map(UserResponse::of));
	}

}

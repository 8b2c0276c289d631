package dev.bugtracker.users.user;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import dev.bugtracker.platform.outbox.EmailOutbox;
import dev.bugtracker.platform.outbox.OutgoingEmail;
import dev.bugtracker.users.audit.AuditEventType;
import dev.bugtracker.users.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.security.authentication.ott.GenerateOneTimeTokenRequest;
import org.springframework.security.authentication.ott.OneTimeToken;
import org.springframework.security.authentication.ott.OneTimeTokenAuthenticationToken;
import org.springframework.security.authentication.ott.OneTimeTokenService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registers and finds users.
 */
@Service
public class UserService {

	private static final Logger log = LoggerFactory.getLogger(UserService.class);

	/**
	 * How the one-time tokens of confirmation links name their owner; password links use
	 * the bare id.
	 */
	private static final String CONFIRMATION = "confirm:";

	private final Users users;

	private final EmailOutbox outbox;

	private final Clock clock;

	private final PasswordEncoder passwords;

	private final OneTimeTokenService passwordLinks;

	private final AccountProperties properties;

	private final AuditLog audit;

	private final ApplicationEventPublisher events;

	UserService(Users users, EmailOutbox outbox, Clock clock, PasswordEncoder passwords,
			OneTimeTokenService passwordLinks, AccountProperties properties, AuditLog audit,
			ApplicationEventPublisher events) {
		this.audit = audit;
		this.events = events;
		this.users = users;
		this.outbox = outbox;
		this.clock = clock;
		this.passwords = passwords;
		this.passwordLinks = passwordLinks;
		this.properties = properties;
	}

	/**
	 * Register a user and queue their welcome email, in one transaction: the email is
	 * sent if and only if the user exists, whatever state notificator is in.
	 * @param email the address, in any case
	 * @param displayName an optional name to show
	 * @param password the password, or null: then the welcome email carries a one-time
	 * link that sets it
	 * @return the new user
	 * @throws EmailAlreadyRegisteredException if the address is taken
	 */
	@Transactional
	public User register(String email, String displayName, String password) {
		EmailAddress address = EmailAddress.of(email);
		if (this.users.existsByEmail(address.value())) {
			throw new EmailAlreadyRegisteredException(address.value());
		}
		User user;
		try {
			User registered = User.register(address, blankToNull(displayName),
					this.clock.instant().truncatedTo(ChronoUnit.MICROS));
			if (password != null) {
				registered = registered.withPasswordHash(this.passwords.encode(password));
			}
			user = this.users.save(registered);
		}
		catch (DuplicateKeyException ex) {
			// Registered concurrently between the check and the insert.
			throw new EmailAlreadyRegisteredException(address.value());
		}
		this.outbox.enqueue(welcomeEmail(user));
		this.audit.record(AuditEventType.SIGN_UP, "user:" + user.getId(), true,
				user.hasPassword() ? "with a password" : "password to be set from the emailed link");
		log.info("Registered user {}; welcome email queued", user.getId());
		return user;
	}

	/**
	 * Set a password with the token of an emailed link (of the welcome email, or of a
	 * reset). The token works once: of two concurrent uses, one wins. Using it proves the
	 * address. A password that replaces another cuts off whoever knew the old one: every
	 * personal access token, login session and OAuth2 authorization of the account is
	 * revoked ({@link CredentialsRevoked}).
	 * @param token the token of the link
	 * @param password the new password
	 * @return the user whose password it is now
	 * @throws EmailLinkInvalidException if the token is unknown, used, expired or not a
	 * password link
	 */
	@Transactional
	public User setPassword(String token, String password) {
		String owner = consume(token, EmailLinkInvalidException::password);
		if (!owner.chars().allMatch(Character::isDigit)) {
			throw EmailLinkInvalidException.password();
		}
		User user = get(Long.parseLong(owner));
		boolean replaced = user.hasPassword();
		user = this.users.save(user.withPasswordHash(this.passwords.encode(password)).withEmailVerified(now()));
		this.audit.record(AuditEventType.PASSWORD_SET, String.valueOf(user.getId()), "user:" + user.getId(), true,
				replaced ? "through an emailed reset link; every token and session revoked"
						: "through the emailed link");
		if (replaced) {
			this.events.publishEvent(new CredentialsRevoked(user.getId(), user.getEmail(), "password reset"));
		}
		log.info("User {} set their password through an emailed link", user.getId());
		return user;
	}

	/**
	 * Confirm the address with the token of the welcome email's confirmation link, as the
	 * account's owner: the link proves the address, the caller's credential proves it is
	 * the same person who chose the password (whoever signs up with someone else's
	 * address cannot confirm it, and the address's owner cannot confirm a password they
	 * did not choose).
	 * @param token the token of the link
	 * @param callerId the authenticated caller
	 * @return the user, confirmed
	 * @throws EmailLinkInvalidException if the token is unknown, used, expired or not the
	 * caller's confirmation link
	 */
	@Transactional
	public User confirmEmail(String token, long callerId) {
		String owner = consume(token, EmailLinkInvalidException::confirmation);
		if (!owner.equals(CONFIRMATION + callerId)) {
			throw EmailLinkInvalidException.confirmation();
		}
		User user = get(callerId);
		if (!user.isEmailVerified()) {
			user = this.users.save(user.withEmailVerified(now()));
			this.audit.record(AuditEventType.EMAIL_VERIFIED, String.valueOf(callerId), "user:" + callerId, true,
					"through the welcome email's confirmation link");
			log.info("User {} confirmed their address", callerId);
		}
		return user;
	}

	/**
	 * Email the caller a new confirmation link, unless the address is proven already.
	 * @param callerId the authenticated caller
	 * @return whether a link was queued
	 */
	@Transactional
	public boolean resendConfirmation(long callerId) {
		User user = get(callerId);
		if (user.isEmailVerified()) {
			return false;
		}
		String link = link("/users/me/email-confirmation", CONFIRMATION + user.getId());
		this.outbox.enqueue(new OutgoingEmail("users:confirmation:" + user.getId() + ":" + window(), user.getEmail(),
				"Confirm your address for Bugtracker", """
						Hello %s,

						confirm that this address is yours within %s, signed in to your account, with this link
						(it works once):
						%s

						-- Bugtracker
						""".formatted(user.greetingName(), describe(this.properties.passwordLinkValidity()), link)));
		return true;
	}

	/**
	 * Email a password reset link to the address, if an account has it; say nothing
	 * either way. At most one reset email per account per five minutes: a second request
	 * in the same window fails with {@link DuplicateKeyException}, which the caller
	 * answers exactly as it answers the first.
	 * @param email an address, in any case
	 */
	@Transactional
	public void requestPasswordReset(String email) {
		Optional<User> found = this.users.findByEmail(EmailAddress.of(email).value());
		if (found.isEmpty()) {
			log.info("Password reset asked for an address without an account");
			return;
		}
		User user = found.get();
		String link = link("/users/password", String.valueOf(user.getId()));
		this.outbox.enqueue(new OutgoingEmail("users:password-reset:" + user.getId() + ":" + window(), user.getEmail(),
				"Reset your Bugtracker password", """
						Hello %s,

						someone, hopefully you, asked to reset the password of your Bugtracker account. Set a new
						one within %s with this link (it works once). Setting it signs out every session and
						revokes every personal access token of the account:
						%s

						If you did not ask, ignore this email: your password stays as it is.

						-- Bugtracker
						""".formatted(user.greetingName(), describe(this.properties.passwordLinkValidity()), link)));
		this.audit.record(AuditEventType.PASSWORD_RESET_REQUESTED, "anonymous", "user:" + user.getId(), true, null);
		log.info("Password reset link queued for user {}", user.getId());
	}

	/**
	 * Change a password, given the current one. Every token, session and authorization of
	 * the account is revoked ({@link CredentialsRevoked}): whoever knew the old password
	 * is cut off, the caller included, who signs in again with the new one.
	 * @param userId the caller
	 * @param current the current password
	 * @param replacement the new password
	 * @throws WrongPasswordException if the current password is not that
	 */
	@Transactional(noRollbackFor = WrongPasswordException.class)
	public void changePassword(long userId, String current, String replacement) {
		User user = get(userId);
		if (!user.hasPassword() || !this.passwords.matches(current, user.getPasswordHash())) {
			this.audit.record(AuditEventType.PASSWORD_CHANGED, String.valueOf(userId), "user:" + userId, false,
					"the current password was wrong");
			throw new WrongPasswordException();
		}
		this.users.save(user.withPasswordHash(this.passwords.encode(replacement)));
		this.audit.record(AuditEventType.PASSWORD_CHANGED, String.valueOf(userId), "user:" + userId, true,
				"every token and session revoked");
		this.events.publishEvent(new CredentialsRevoked(userId, user.getEmail(), "password changed"));
		log.info("User {} changed their password", userId);
	}

	/**
	 * Sign out everywhere: revoke every token, session and authorization of the account.
	 * @param userId the caller
	 */
	@Transactional
	public void signOutEverywhere(long userId) {
		User user = get(userId);
		this.audit.record(AuditEventType.SIGNED_OUT_EVERYWHERE, String.valueOf(userId), "user:" + userId, true, null);
		this.events.publishEvent(new CredentialsRevoked(userId, user.getEmail(), "signed out everywhere"));
		log.info("User {} signed out everywhere", userId);
	}

	/**
	 * Disable an account (admins): it cannot sign in, exchange a personal access token or
	 * get a token, and everything it holds is revoked ({@link CredentialsRevoked}).
	 * Disabling a disabled account changes nothing.
	 * @param id the account
	 * @param adminId the admin
	 * @return the account
	 * @throws OwnAccountException if the admin is disabling themselves
	 */
	@Transactional
	public User disable(long id, long adminId) {
		if (id == adminId) {
			throw new OwnAccountException();
		}
		User user = get(id);
		if (user.isDisabled()) {
			return user;
		}
		user = this.users.save(user.withDisabled(now()));
		this.audit.record(AuditEventType.ACCOUNT_DISABLED, "user:" + id, true, null);
		this.events.publishEvent(new CredentialsRevoked(id, user.getEmail(), "disabled by an admin"));
		log.info("Disabled user {}", id);
		return user;
	}

	/**
	 * Enable a disabled account again (admins). Its revoked tokens stay revoked.
	 * @param id the account
	 * @return the account
	 */
	@Transactional
	public User enable(long id) {
		User user = get(id);
		if (!user.isDisabled()) {
			return user;
		}
		user = this.users.save(user.withDisabled(null));
		this.audit.record(AuditEventType.ACCOUNT_ENABLED, "user:" + id, true, null);
		log.info("Enabled user {}", id);
		return user;
	}

	/**
	 * @param email an address, in any case
	 * @return the user with that address, if any
	 */
	@Transactional(readOnly = true)
	public Optional<User> findByEmail(String email) {
		return this.users.findByEmail(EmailAddress.of(email).value());
	}

	/**
	 * @param user a user
	 * @return every role the user has: those granted, and ADMIN if configuration names
	 * their address and they have proven it
	 */
	public Set<Role> rolesOf(User user) {
		Set<Role> roles = EnumSet.copyOf(user.getGrantedRoles());
		if (user.isEmailVerified() && this.properties.isAdmin(user.getEmail())) {
			roles.add(Role.ADMIN);
		}
		return roles;
	}

	/**
	 * Grant a role.
	 * @param id the user
	 * @param role the role; granting one twice changes nothing
	 * @return the user
	 */
	@Transactional
	public User grant(long id, Role role) {
		User user = this.users.save(get(id).grant(role));
		this.audit.record(AuditEventType.ROLE_GRANTED, "user:" + id, true, role.name());
		log.info("Granted {} to user {}", role, id);
		return user;
	}

	/**
	 * Take a role back. USER cannot be, and ADMIN by configuration stays.
	 * @param id the user
	 * @param role the role
	 * @return the user
	 */
	@Transactional
	public User revoke(long id, Role role) {
		User user = this.users.save(get(id).revoke(role));
		this.audit.record(AuditEventType.ROLE_REVOKED, "user:" + id, true, role.name());
		log.info("Revoked {} from user {}", role, id);
		return user;
	}

	@Transactional(readOnly = true)
	public User get(long id) {
		return this.users.findById(id).orElseThrow(() -> new UserNotFoundException(id));
	}

	@Transactional(readOnly = true)
	public Page<User> list(String email, Pageable pageable) {
		return (email != null) ? this.users.findByEmail(EmailAddress.of(email).value(), pageable)
				: this.users.findAll(pageable);
	}

	private String consume(String token, Supplier<EmailLinkInvalidException> invalid) {
		OneTimeToken used = this.passwordLinks.consume(OneTimeTokenAuthenticationToken.unauthenticated(token));
		if (used == null) {
			throw invalid.get();
		}
		return used.getUsername();
	}

	private String link(String path, String owner) {
		OneTimeToken token = this.passwordLinks
			.generate(new GenerateOneTimeTokenRequest(owner, this.properties.passwordLinkValidity()));
		return this.properties.publicUrl().resolve(path + "?token=" + token.getTokenValue()).toString();
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	/** The five-minute window that the keys of resent links are unique in. */
	private long window() {
		return this.clock.instant().getEpochSecond() / 300;
	}

	private String welcomeText(User user) {
		String link = user.hasPassword()
				? """

						Confirm that this address is yours within %s, signed in with the password you chose, with
						this link (it works once):
						%s

						If you did not sign up, someone else used your address: reset the password
						(POST /users/password/reset) to take the account over.
						""".formatted(describe(this.properties.passwordLinkValidity()),
						link("/users/me/email-confirmation", CONFIRMATION + user.getId()))
				: """

						Set your password within %s, with this link (it works once):
						%s
						""".formatted(describe(this.properties.passwordLinkValidity()),
						link("/users/password", String.valueOf(user.getId())));
		return """
				Hello %s,

				welcome to Bugtracker! Your account is ready: you can now report bugs, comment on them and
				follow their progress.

				Your user id is %d.
				%s
				-- Bugtracker
				""".formatted(user.greetingName(), user.getId(), link);
	}

	private static String describe(Duration duration) {
		return (duration.toMinutesPart() == 0 && duration.toSecondsPart() == 0) ? duration.toHours() + " hours"
				: duration.toMinutes() + " minutes";
	}

	private OutgoingEmail welcomeEmail(User user) {
		String body = welcomeText(user);
		return new OutgoingEmail("users:welcome:" + user.getId(), user.getEmail(), "Welcome to Bugtracker", body);
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}

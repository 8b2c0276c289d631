package dev.bugtracker.users.user;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import dev.bugtracker.platform.outbox.EmailOutbox;
import dev.bugtracker.platform.outbox.OutgoingEmail;
import dev.bugtracker.users.audit.AuditEventType;
import dev.bugtracker.users.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

	private final Users users;

	private final EmailOutbox outbox;

	private final Clock clock;

	private final PasswordEncoder passwords;

	private final OneTimeTokenService passwordLinks;

	private final AccountProperties properties;

	private final AuditLog audit;

	UserService(Users users, EmailOutbox outbox, Clock clock, PasswordEncoder passwords,
			OneTimeTokenService passwordLinks, AccountProperties properties, AuditLog audit) {
		this.audit = audit;
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
		this.outbox.enqueue(welcomeEmail(user, user.hasPassword() ? null : passwordLink(user)));
		this.audit.record(AuditEventType.SIGN_UP, "user:" + user.getId(), true,
				user.hasPassword() ? "with a password" : "password to be set from the emailed link");
		log.info("Registered user {}; welcome email queued", user.getId());
		return user;
	}

	/**
	 * Set a password with the token of an emailed link. The token works once: of two
	 * concurrent uses, one wins.
	 * @param token the token of the link
	 * @param password the new password
	 * @return the user whose password it is now
	 * @throws PasswordLinkInvalidException if the token is unknown, used or expired
	 */
	@Transactional
	public User setPassword(String token, String password) {
		OneTimeToken used = this.passwordLinks.consume(OneTimeTokenAuthenticationToken.unauthenticated(token));
		if (used == null) {
			throw new PasswordLinkInvalidException();
		}
		User user = get(Long.parseLong(used.getUsername()));
		user = this.users.save(user.withPasswordHash(this.passwords.encode(password)));
		this.audit.record(AuditEventType.PASSWORD_SET, String.valueOf(user.getId()), "user:" + user.getId(), true,
				"through the emailed link");
		log.info("User {} set their password through the emailed link", user.getId());
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
	 * them
	 */
	public Set<Role> rolesOf(User user) {
		Set<Role> roles = EnumSet.copyOf(user.getGrantedRoles());
		if (this.properties.isAdmin(user.getEmail())) {
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

	private String passwordLink(User user) {
		OneTimeToken token = this.passwordLinks.generate(
				new GenerateOneTimeTokenRequest(String.valueOf(user.getId()), this.properties.passwordLinkValidity()));
		return this.properties.publicUrl().resolve("/users/password?token=" + token.getTokenValue()).toString();
	}

	private String welcomeText(User user, String passwordLink) {
		String password = (passwordLink == null) ? "" : """

				Set your password within %s, with this link (it works once):
				%s
				""".formatted(describe(this.properties.passwordLinkValidity()), passwordLink);
		return """
				Hello %s,

				welcome to Bugtracker! Your account is ready: you can now report bugs, comment on them and
				follow their progress.

				Your user id is %d.
				%s
				-- Bugtracker
				""".formatted(user.greetingName(), user.getId(), password);
	}

	private static String describe(Duration duration) {
		return (duration.toMinutesPart() == 0 && duration.toSecondsPart() == 0) ? duration.toHours() + " hours"
				: duration.toMinutes() + " minutes";
	}

	private OutgoingEmail welcomeEmail(User user, String passwordLink) {
		String body = welcomeText(user, passwordLink);
		return new OutgoingEmail("users:welcome:" + user.getId(), user.getEmail(), "Welcome to Bugtracker", body);
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}

package dev.bugtracker.users.user;

import java.time.Clock;
import java.time.temporal.ChronoUnit;

import dev.bugtracker.platform.outbox.EmailOutbox;
import dev.bugtracker.platform.outbox.OutgoingEmail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
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

	UserService(Users users, EmailOutbox outbox, Clock clock) {
		this.users = users;
		this.outbox = outbox;
		this.clock = clock;
	}

	/**
	 * Register a user and queue their welcome email, in one transaction: the email is
	 * sent if and only if the user exists, whatever state notificator is in.
	 * @param email the address, in any case
	 * @param displayName an optional name to show
	 * @return the new user
	 * @throws EmailAlreadyRegisteredException if the address is taken
	 */
	@Transactional
	public User register(String email, String displayName) {
		EmailAddress address = EmailAddress.of(email);
		if (this.users.existsByEmail(address.value())) {
			throw new EmailAlreadyRegisteredException(address.value());
		}
		User user;
		try {
			user = this.users.save(User.register(address, blankToNull(displayName),
					this.clock.instant().truncatedTo(ChronoUnit.MICROS)));
		}
		catch (DuplicateKeyException ex) {
			// Registered concurrently between the check and the insert.
			throw new EmailAlreadyRegisteredException(address.value());
		}
		this.outbox.enqueue(welcomeEmail(user));
		log.info("Registered user {}; welcome email queued", user.getId());
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

	private static OutgoingEmail welcomeEmail(User user) {
		String body = """
				Hello %s,

				welcome to Bugtracker! Your account is ready: you can now report bugs, comment on them and
				follow their progress.

				Your user id is %d.

				-- Bugtracker
				""".formatted(user.greetingName(), user.getId());
		return new OutgoingEmail("users:welcome:" + user.getId(), user.getEmail(), "Welcome to Bugtracker", body);
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}

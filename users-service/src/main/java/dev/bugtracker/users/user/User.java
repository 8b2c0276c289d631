package dev.bugtracker.users.user;

import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A registered user: an account, with a password once one is set, and the roles granted
 * to it.
 */
@Table("users")
public class User {

	@Id
	private final Long id;

	private final String email;

	private final String displayName;

	private final Instant createdAt;

	private final String passwordHash;

	private final Instant emailVerifiedAt;

	private final Instant disabledAt;

	@MappedCollection(idColumn = "user_id")
	private final Set<RoleGrant> roles;

	@PersistenceCreator
	User(Long id, String email, String displayName, Instant createdAt, String passwordHash, Instant emailVerifiedAt,
			Instant disabledAt, Set<RoleGrant> roles) {
		this.id = id;
		this.email = email;
		this.displayName = displayName;
		this.createdAt = createdAt;
		this.passwordHash = passwordHash;
		this.emailVerifiedAt = emailVerifiedAt;
		this.disabledAt = disabledAt;
		this.roles = (roles != null) ? Set.copyOf(roles) : Set.of();
	}

	User(Long id, String email, String displayName, Instant createdAt) {
		this(id, email, displayName, createdAt, null, null, null, Set.of());
	}

	static User register(EmailAddress email, String displayName, Instant now) {
		return new User(null, email.value(), displayName, now);
	}

	/** Spring Data sets the generated id through this wither. */
	User withId(Long id) {
		return new User(id, this.email, this.displayName, this.createdAt, this.passwordHash, this.emailVerifiedAt,
				this.disabledAt, this.roles);
	}

	/**
	 * @param passwordHash the encoded password, as a {@code PasswordEncoder} made it
	 * @return this user with that password
	 */
	User withPasswordHash(String passwordHash) {
		return new User(this.id, this.email, this.displayName, this.createdAt, passwordHash, this.emailVerifiedAt,
				this.disabledAt, this.roles);
	}

	/**
	 * @param now when the owner of the address proved it (by using a link emailed to it)
	 * @return this user with a proven address; the first proof counts
	 */
	User withEmailVerified(Instant now) {
		if (this.emailVerifiedAt != null) {
			return this;
		}
		return new User(this.id, this.email, this.displayName, this.createdAt, this.passwordHash, now, this.disabledAt,
				this.roles);
	}

	/**
	 * @param now when an admin disabled it, or null to enable it again
	 * @return this user, disabled or enabled
	 */
	User withDisabled(Instant now) {
		return new User(this.id, this.email, this.displayName, this.createdAt, this.passwordHash, this.emailVerifiedAt,
				now, this.roles);
	}

	/**
	 * @param role a role to grant; {@link Role#USER} is every account's already
	 * @return this user with the role
	 */
	User grant(Role role) {
		if (role == Role.USER) {
			return this;
		}
		Set<RoleGrant> granted = new HashSet<>(this.roles);
		granted.add(new RoleGrant(role));
		return new User(this.id, this.email, this.displayName, this.createdAt, this.passwordHash, this.emailVerifiedAt,
				this.disabledAt, granted);
	}

	/**
	 * @param role a role to take back; {@link Role#USER} cannot be
	 * @return this user without the role
	 */
	User revoke(Role role) {
		Set<RoleGrant> granted = new HashSet<>(this.roles);
		granted.remove(new RoleGrant(role));
		return new User(this.id, this.email, this.displayName, this.createdAt, this.passwordHash, this.emailVerifiedAt,
				this.disabledAt, granted);
	}

	public Long getId() {
		return this.id;
	}

	public String getEmail() {
		return this.email;
	}

	public String getDisplayName() {
		return this.displayName;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	/**
	 * @return the encoded password, or null while none is set; never to be shown
	 */
	public String getPasswordHash() {
		return this.passwordHash;
	}

	/**
	 * @return when the owner proved the address by using a link emailed to it, or null
	 */
	public Instant getEmailVerifiedAt() {
		return this.emailVerifiedAt;
	}

	/**
	 * @return whether the owner proved the address: what the address entitles to (ADMIN
	 * by configuration) applies only then
	 */
	public boolean isEmailVerified() {
		return this.emailVerifiedAt != null;
	}

	/**
	 * @return whether an admin disabled the account: it cannot sign in or use a token
	 */
	public boolean isDisabled() {
		return this.disabledAt != null;
	}

	public Instant getDisabledAt() {
		return this.disabledAt;
	}

	/**
	 * @return whether the user can log in with a password
	 */
	public boolean hasPassword() {
		return this.passwordHash != null;
	}

	/**
	 * @return the roles granted in the database, with {@link Role#USER}; not those that
	 * configuration adds (see {@link UserService#rolesOf(User)})
	 */
	public Set<Role> getGrantedRoles() {
		Set<Role> all = EnumSet.of(Role.USER);
		all.addAll(this.roles.stream().map(RoleGrant::role).collect(Collectors.toSet()));
		return all;
	}

	/** How to greet this user: the display name if there is one, the email otherwise. */
	String greetingName() {
		return (this.displayName != null && !this.displayName.isBlank()) ? this.displayName : this.email;
	}

}

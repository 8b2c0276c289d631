package dev.bugtracker.users.user;

import org.springframework.data.relational.core.mapping.Table;

/**
 * A role granted to a user (a row of {@code user_roles}).
 *
 * @param role the role
 */
@Table("user_roles")
record RoleGrant(Role role) {
}

package dev.bugtracker.users.user;

/**
 * What an account may do. Every account is a {@link #USER}; {@link #MAINTAINER} and
 * {@link #ADMIN} are granted.
 */
public enum Role {

	/** Every account: reports bugs, comments, changes its own bugs. */
	USER,

	/** Changes any bug. */
	MAINTAINER,

	/** Everything, including granting roles and seeing every user's email address. */
	ADMIN

}

/**
 * Users: registration with a unique, normalised email, and the welcome email it triggers.
 */
package dev.bugtracker.users.user;

/**
 * users-service: the people who use the bug tracker.
 */
package dev.bugtracker.users;

/**
 * The HTTP transport of users: JSON requests and responses, and RFC 9457 errors.
 */
package dev.bugtracker.users.user.web;

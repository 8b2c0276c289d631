/**
 * The HTTP transport of bugs: JSON requests and responses, and RFC 9457 errors.
 */
package dev.bugtracker.bugs.bug.web;

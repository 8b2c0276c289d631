/**
 * HTTP transport of the audit log: {@code GET /auth/audit}, for admins.
 */
package dev.bugtracker.users.audit.web;

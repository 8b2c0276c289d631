/**
 * Who may use the bugs API: access tokens of users-service's authorization server.
 */
package dev.bugtracker.bugs.security;

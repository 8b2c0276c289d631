/**
 * The HTTP transport of personal access tokens: {@code /auth/tokens} for their owners,
 * and the internal exchange endpoint for the gateway.
 */
package dev.bugtracker.users.token.web;

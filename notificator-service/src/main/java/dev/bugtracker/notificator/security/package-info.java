/**
 * Who may call notificator: services with an access token.
 */
package dev.bugtracker.notificator.security;

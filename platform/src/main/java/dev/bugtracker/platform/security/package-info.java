/**
 * What the services that accept access tokens share: problems for 401, 403 and tokens
 * that cannot be checked, and the authorities a token carries.
 */
package dev.bugtracker.platform.security;

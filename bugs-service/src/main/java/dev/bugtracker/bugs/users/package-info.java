/**
 * The adapter to users-service: an OpenFeign client behind a circuit breaker and a short
 * cache.
 */
package dev.bugtracker.bugs.users;

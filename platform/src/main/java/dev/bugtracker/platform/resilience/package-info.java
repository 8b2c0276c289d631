/**
 * What the services' circuit breakers need beyond Spring Cloud CircuitBreaker's defaults.
 */
package dev.bugtracker.platform.resilience;

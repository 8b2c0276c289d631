/**
 * Safe retries of POST requests: an {@code Idempotency-Key} header makes a repeat return
 * the original answer instead of doing the work again.
 */
package dev.bugtracker.platform.idempotency;

/**
 * Notifications: validation, the idempotent record of every email, and its delivery by
 * SMTP or to {@code .eml} files.
 */
package dev.bugtracker.notificator.notification;

/**
 * The audit log of security-relevant events: who did what, when, from where, and with
 * what outcome; append-only, and readable by admins.
 */
package dev.bugtracker.users.audit;

/**
 * Flyway support for platform features that own tables.
 */
package dev.bugtracker.platform.flyway;

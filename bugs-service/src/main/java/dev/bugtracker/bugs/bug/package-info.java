/**
 * Bugs: reporting and reading them.
 */
package dev.bugtracker.bugs.bug;

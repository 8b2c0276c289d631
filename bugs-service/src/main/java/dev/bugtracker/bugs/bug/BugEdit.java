package dev.bugtracker.bugs.bug;

import java.util.Set;

/**
 * Changes to the descriptive fields of a bug; a null field stays as it is. An empty
 * description removes the description.
 *
 * @param title the new title
 * @param description the new description, or "" to remove it
 * @param priority the new priority
 * @param severity the new severity
 * @param labels the new set of labels (replaces the old one)
 */
public record BugEdit(String title, String description, Priority priority, Severity severity, Set<String> labels) {
}

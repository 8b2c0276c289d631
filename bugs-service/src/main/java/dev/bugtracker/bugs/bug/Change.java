package dev.bugtracker.bugs.bug;

/**
 * One field of a bug that changed, as the history shows it.
 *
 * @param field the field
 * @param oldValue the value before, as text, or null
 * @param newValue the value after, as text, or null
 */
public record Change(String field, String oldValue, String newValue) {
}

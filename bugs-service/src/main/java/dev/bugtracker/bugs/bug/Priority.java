package dev.bugtracker.bugs.bug;

/**
 * How soon a bug should be worked on, lowest first (stored as its ordinal so it sorts).
 */
public enum Priority {

	LOWEST, LOW, MEDIUM, HIGH, HIGHEST

}

package dev.bugtracker.bugs.bug;

/**
 * How bad the bug's effect is, least first (stored as its ordinal so it sorts).
 */
public enum Severity {

	TRIVIAL, MINOR, MAJOR, CRITICAL, BLOCKER

}

package dev.bugtracker.bugs.bug;

/**
 * Why a bug was resolved or closed.
 */
public enum Resolution {

	FIXED,
	/** The same problem as another bug, named by {@code duplicateOf}. */
	DUPLICATE, WONT_FIX, CANNOT_REPRODUCE, INVALID

}

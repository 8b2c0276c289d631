package dev.bugtracker.bugs.bug;

import java.util.Arrays;

/**
 * How soon a bug should be worked on, lowest first. Stored as its {@link #code()}, which
 * sorts the same way and never changes: reordering or adding constants must not change
 * stored data.
 */
public enum Priority {

	LOWEST(0), LOW(1), MEDIUM(2), HIGH(3), HIGHEST(4);

	private final int code;

	Priority(int code) {
		this.code = code;
	}

	/** The stored value; higher is more urgent. */
	public int code() {
		return this.code;
	}

	/**
	 * @param code a stored value
	 * @return its priority
	 */
	public static Priority ofCode(int code) {
		return Arrays.stream(values())
			.filter((priority) -> priority.code == code)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No priority has code " + code));
	}

}

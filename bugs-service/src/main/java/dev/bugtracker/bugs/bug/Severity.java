package dev.bugtracker.bugs.bug;

import java.util.Arrays;

/**
 * How bad the bug's effect is, least first. Stored as its {@link #code()}, which sorts
 * the same way and never changes: reordering or adding constants must not change stored
 * data.
 */
public enum Severity {

	TRIVIAL(0), MINOR(1), MAJOR(2), CRITICAL(3), BLOCKER(4);

	private final int code;

	Severity(int code) {
		this.code = code;
	}

	/** The stored value; higher is worse. */
	public int code() {
		return this.code;
	}

	/**
	 * @param code a stored value
	 * @return its severity
	 */
	public static Severity ofCode(int code) {
		return Arrays.stream(values())
			.filter((severity) -> severity.code == code)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No severity has code " + code));
	}

}

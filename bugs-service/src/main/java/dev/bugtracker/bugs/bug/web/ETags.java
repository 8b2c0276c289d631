package dev.bugtracker.bugs.bug.web;

import dev.bugtracker.bugs.bug.Bug;

/**
 * A bug's ETag is its version: {@code "3"}.
 */
final class ETags {

	private ETags() {
	}

	static String of(Bug bug) {
		return "\"" + bug.getVersion() + "\"";
	}

	/**
	 * The version an {@code If-Match} header expects, or null when it does not constrain
	 * (absent or {@code *}). A value that is not one of our ETags can never match: -1.
	 */
	static Long expectedVersion(String ifMatch) {
		if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
			return null;
		}
		String tag = ifMatch.trim();
		if (tag.startsWith("W/")) {
			tag = tag.substring(2);
		}
		tag = tag.replace("\"", "");
		try {
			return Long.parseLong(tag);
		}
		catch (NumberFormatException ex) {
			return -1L;
		}
	}

}

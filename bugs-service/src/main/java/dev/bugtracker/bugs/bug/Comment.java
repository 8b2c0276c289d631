package dev.bugtracker.bugs.bug;

import java.time.Instant;

/**
 * A comment on a bug.
 *
 * @param id the comment's id
 * @param bugId the bug it belongs to
 * @param authorId who wrote it
 * @param body the text
 * @param createdAt when it was written
 * @param updatedAt when it was last edited
 */
public record Comment(long id, long bugId, long authorId, String body, Instant createdAt, Instant updatedAt) {

	/** Longest comment body. */
	public static final int MAX_BODY = 20_000;

	static String validBody(String body) {
		if (body == null || body.isBlank()) {
			throw new InvalidBugException("body", "must not be blank");
		}
		if (body.length() > MAX_BODY) {
			throw new InvalidBugException("body", "must be at most " + MAX_BODY + " characters");
		}
		return body;
	}

}

package dev.bugtracker.bugs.bug;

/**
 * No comment with the given id on the given bug.
 */
public class CommentNotFoundException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	CommentNotFoundException(long bugId, long commentId) {
		super("Bug " + bugId + " has no comment " + commentId);
	}

}

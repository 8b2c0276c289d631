package dev.bugtracker.bugs.bug;

/**
 * Who is acting on a request: a user, with the roles their access token names, or nobody
 * (an anonymous report or read, where configuration allows them).
 *
 * @param userId the acting user's id, or null when anonymous
 * @param maintainer whether they have the MAINTAINER role
 * @param admin whether they have the ADMIN role
 */
public record Actor(Long userId, boolean maintainer, boolean admin) {

	/** Nobody: an anonymous caller. */
	public static final Actor ANONYMOUS = new Actor(null, false, false);

	/**
	 * @param userId a user
	 * @return that user, without roles beyond USER
	 */
	public static Actor user(long userId) {
		return new Actor(userId, false, false);
	}

	/**
	 * @param userId a user's id, or null
	 * @return whether this is that user
	 */
	public boolean is(Long userId) {
		return this.userId != null && this.userId.equals(userId);
	}

	/**
	 * Its reporter, its assignee, maintainers and admins change a bug (edit, transition,
	 * assignment).
	 * @param bug the bug
	 * @throws NotPermittedException otherwise
	 */
	void requireMayChange(Bug bug) {
		if (!(this.maintainer || this.admin || is(bug.getReporterId()) || is(bug.getAssigneeId()))) {
			throw new NotPermittedException(
					"Only the bug's reporter or assignee, a MAINTAINER or an ADMIN may change " + bug.getKey());
		}
	}

	/**
	 * Only its author, or an admin, edits or removes a comment.
	 * @param comment the comment
	 * @throws NotPermittedException otherwise
	 */
	void requireMayChange(Comment comment) {
		if (!(this.admin || is(comment.authorId()))) {
			throw new NotPermittedException("Only the comment's author or an ADMIN may change it");
		}
	}

	/**
	 * Users watch bugs for themselves (admins for anyone).
	 * @param userId the watcher
	 * @throws NotPermittedException otherwise
	 */
	void requireMayActFor(long userId) {
		if (!(this.admin || is(userId))) {
			throw new NotPermittedException("Users add and remove themselves as watchers, not others");
		}
	}

	/**
	 * @return the acting user's id
	 * @throws NotPermittedException if nobody, or a machine client, is acting
	 */
	public long requireUser() {
		if (this.userId == null) {
			throw new NotPermittedException("This needs a user's access token");
		}
		return this.userId;
	}

}

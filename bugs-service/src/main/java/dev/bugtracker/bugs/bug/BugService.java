package dev.bugtracker.bugs.bug;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The bug tracker's use cases. Each change is one transaction: the bug, its history and
 * the emails it causes are written together or not at all. Users named in a change must
 * exist in users-service; when users-service cannot answer, nothing is written.
 */
@Service
public class BugService {

	private static final Logger log = LoggerFactory.getLogger(BugService.class);

	private final BugStore bugs;

	private final CommentStore comments;

	private final HistoryStore history;

	private final BugSearch search;

	private final UserDirectory users;

	private final BugNotifications notifications;

	private final Clock clock = Clock.systemUTC();

	BugService(BugStore bugs, CommentStore comments, HistoryStore history, BugSearch search, UserDirectory users,
			BugNotifications notifications) {
		this.bugs = bugs;
		this.comments = comments;
		this.history = history;
		this.search = search;
		this.users = users;
		this.notifications = notifications;
	}

	@Transactional
	public Bug report(NewBug report) {
		requireUser("reporterId", report.reporterId());
		requireUser("assigneeId", report.assigneeId());
		Instant now = now();
		Bug bug = Bug.report(report, now);
		this.bugs.insert(bug);
		this.history.append(bug.getId(), report.reporterId(), now, "CREATED",
				new Change("title", null, bug.getTitle()));
		if (bug.getAssigneeId() != null) {
			this.history.append(bug.getId(), report.reporterId(), now, "ASSIGNED",
					new Change("assignee", null, bug.getAssigneeId().toString()));
			this.notifications.assigned(bug, report.reporterId());
		}
		log.info("Reported {} ({})", bug.getKey(), bug.getTitle());
		return bug;
	}

	@Transactional(readOnly = true)
	public Bug get(String idOrKey) {
		Long id = Bug.parseIdOrKey(idOrKey);
		if (id == null) {
			throw new BugNotFoundException(idOrKey);
		}
		return get(id);
	}

	@Transactional(readOnly = true)
	public Bug get(long id) {
		return this.bugs.find(id).orElseThrow(() -> new BugNotFoundException(id));
	}

	@Transactional
	public Bug edit(long id, BugEdit edit, Long expectedVersion, Long actor) {
		requireUser("X-User-Id", actor);
		Bug bug = load(id, expectedVersion);
		long version = bug.getVersion();
		List<Change> changes = bug.edit(edit, now());
		// Without If-Match the last write wins, and the version still steps.
		this.bugs.update(bug, version);
		this.history.append(id, actor, bug.getUpdatedAt(), "UPDATED", changes);
		return bug;
	}

	@Transactional
	public Bug transition(long id, Status to, Resolution resolution, Long duplicateOf, Long actor) {
		requireUser("X-User-Id", actor);
		if (duplicateOf != null && !duplicateOf.equals(id) && !this.bugs.exists(duplicateOf)) {
			throw new UnknownReferenceException("duplicateOf", "names bug " + duplicateOf + ", which does not exist");
		}
		Bug bug = load(id, null);
		Status from = bug.getStatus();
		long version = bug.getVersion();
		List<Change> changes = bug.moveTo(to, resolution, duplicateOf, now());
		this.bugs.update(bug, version);
		this.history.append(id, actor, bug.getUpdatedAt(), "TRANSITIONED", changes);
		this.notifications.statusChanged(bug, from, actor);
		return bug;
	}

	@Transactional
	public Bug assign(long id, Long userId, Long actor) {
		requireUser("X-User-Id", actor);
		requireUser("userId", userId);
		Bug bug = load(id, null);
		long version = bug.getVersion();
		List<Change> changes = bug.assign(userId, now());
		if (changes.isEmpty()) {
			return bug;
		}
		this.bugs.update(bug, version);
		this.history.append(id, actor, bug.getUpdatedAt(), (userId != null) ? "ASSIGNED" : "UNASSIGNED", changes);
		this.notifications.assigned(bug, actor);
		return bug;
	}

	@Transactional
	public Bug watch(long id, long userId, boolean watching, Long actor) {
		requireUser("X-User-Id", actor);
		if (watching) {
			requireUser("userId", userId);
		}
		Bug bug = load(id, null);
		long version = bug.getVersion();
		List<Change> changes = watching ? bug.watch(userId, now()) : bug.unwatch(userId, now());
		if (!changes.isEmpty()) {
			this.bugs.update(bug, version);
			this.history.append(id, actor, bug.getUpdatedAt(), watching ? "WATCHER_ADDED" : "WATCHER_REMOVED", changes);
		}
		return bug;
	}

	@Transactional
	public Comment comment(long id, long authorId, String body) {
		requireUser("authorId", authorId);
		Bug bug = load(id, null);
		Instant now = now();
		Comment comment = this.comments.insert(id, authorId, Comment.validBody(body), now);
		touch(bug, now);
		this.history.append(id, authorId, now, "COMMENT_ADDED",
				new Change("comment", null, String.valueOf(comment.id())));
		this.notifications.commented(bug, comment);
		return comment;
	}

	@Transactional
	public Comment editComment(long id, long commentId, String body, Long actor) {
		requireUser("X-User-Id", actor);
		Bug bug = load(id, null);
		Comment comment = this.comments.find(id, commentId)
			.orElseThrow(() -> new CommentNotFoundException(id, commentId));
		Instant now = now();
		String valid = Comment.validBody(body);
		this.comments.updateBody(commentId, valid, now);
		touch(bug, now);
		this.history.append(id, actor, now, "COMMENT_EDITED",
				new Change("comment:" + commentId, comment.body(), valid));
		return new Comment(commentId, id, comment.authorId(), valid, comment.createdAt(), now);
	}

	@Transactional
	public void deleteComment(long id, long commentId, Long actor) {
		requireUser("X-User-Id", actor);
		Bug bug = load(id, null);
		Comment comment = this.comments.find(id, commentId)
			.orElseThrow(() -> new CommentNotFoundException(id, commentId));
		Instant now = now();
		this.comments.delete(commentId);
		touch(bug, now);
		this.history.append(id, actor, now, "COMMENT_REMOVED",
				new Change("comment:" + commentId, comment.body(), null));
	}

	@Transactional(readOnly = true)
	public Page<Comment> comments(long id, Pageable pageable) {
		requireBug(id);
		return this.comments.list(id, pageable);
	}

	@Transactional(readOnly = true)
	public Page<HistoryEntry> history(long id, Pageable pageable) {
		requireBug(id);
		return this.history.list(id, pageable);
	}

	@Transactional(readOnly = true)
	public Page<Bug> search(BugQuery query, Pageable pageable) {
		return this.search.search(query, pageable);
	}

	private Bug load(long id, Long expectedVersion) {
		Bug bug = get(id);
		if (expectedVersion != null && expectedVersion != bug.getVersion()) {
			throw new StaleBugException(id, expectedVersion, bug.getVersion());
		}
		return bug;
	}

	/** Comments are part of the bug: they step its version and its updatedAt. */
	private void touch(Bug bug, Instant now) {
		long version = bug.getVersion();
		bug.markUpdated(now);
		this.bugs.update(bug, version);
	}

	private void requireBug(long id) {
		if (!this.bugs.exists(id)) {
			throw new BugNotFoundException(id);
		}
	}

	private void requireUser(String field, Long userId) {
		if (userId != null && this.users.find(userId).isEmpty()) {
			throw new UnknownReferenceException(field, "names user " + userId + ", who does not exist");
		}
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

}

package dev.bugtracker.bugs.bug;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The bug tracker's use cases. Each change is one transaction: the bug, its history and
 * the emails it causes are written together or not at all. Users named in a change must
 * exist in users-service; when users-service cannot answer, nothing is written.
 * <p>
 * No transaction waits on users-service: every user a change names, and everyone its
 * emails go to, is looked up first; only then does the transaction open, for the database
 * work alone. A slow users-service thus holds request threads (bounded by the bulkhead
 * and time limit in configs/bugs-service.yml) but never database connections.
 * <p>
 * Who may change what ({@link Actor}) is checked on the bug as the transaction reads it,
 * so that a change of reporter or assignee cannot race past the check. The acting user
 * comes from their access token, which users-service signed: it is not looked up again.
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

	private final TransactionTemplate transactions;

	private final BugMetrics metrics;

	private final Clock clock;

	BugService(BugStore bugs, CommentStore comments, HistoryStore history, BugSearch search, UserDirectory users,
			BugNotifications notifications, BugMetrics metrics, TransactionTemplate transactions, Clock clock) {
		this.metrics = metrics;
		this.transactions = transactions;
		this.clock = clock;
		this.bugs = bugs;
		this.comments = comments;
		this.history = history;
		this.search = search;
		this.users = users;
		this.notifications = notifications;
	}

	/**
	 * @param report the bug; its reporter is the acting user (or nobody, for an anonymous
	 * report)
	 * @return the reported bug
	 */
	public Bug report(NewBug report) {
		requireUser("assigneeId", report.assigneeId());
		return inTransaction(() -> insert(report));
	}

	private Bug insert(NewBug report) {
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
		this.metrics.reported(bug);
		log.info("Reported {} ({})", bug.getKey(), bug.getTitle());
		return bug;
	}

	@Transactional(readOnly = true)
	public Bug get(long id) {
		return find(id);
	}

	public Bug edit(long id, BugEdit edit, Long expectedVersion, Actor actor) {
		long userId = actor.requireUser();
		return inTransaction(() -> {
			Bug bug = load(id, expectedVersion);
			actor.requireMayChange(bug);
			long version = bug.getVersion();
			List<Change> changes = bug.edit(edit, now());
			// Without If-Match the last write wins, and the version still steps.
			this.bugs.update(bug, version);
			this.history.append(id, userId, bug.getUpdatedAt(), "UPDATED", changes);
			return bug;
		});
	}

	public Bug transition(long id, Status to, Resolution resolution, Long duplicateOf, Actor actor) {
		long userId = actor.requireUser();
		// Refused before users-service is asked about anyone; checked again below, on
		// the bug as the transaction reads it.
		Bug current = find(id);
		actor.requireMayChange(current);
		lookUpInterestedUsers(current, userId);
		return inTransaction(() -> move(id, to, resolution, duplicateOf, actor, userId));
	}

	private Bug move(long id, Status to, Resolution resolution, Long duplicateOf, Actor actor, long userId) {
		if (duplicateOf != null && !duplicateOf.equals(id) && !this.bugs.exists(duplicateOf)) {
			throw new UnknownReferenceException("duplicateOf", "names bug " + duplicateOf + ", which does not exist");
		}
		Bug bug = load(id, null);
		actor.requireMayChange(bug);
		Status from = bug.getStatus();
		long version = bug.getVersion();
		List<Change> changes = bug.moveTo(to, resolution, duplicateOf, now());
		this.bugs.update(bug, version);
		this.history.append(id, userId, bug.getUpdatedAt(), "TRANSITIONED", changes);
		this.notifications.statusChanged(bug, from, userId);
		this.metrics.moved(from, bug);
		return bug;
	}

	public Bug assign(long id, Long userId, Actor actor) {
		actor.requireUser();
		// Refused before users-service is asked whether the assignee exists; checked
		// again
		// below, on the bug as the transaction reads it.
		actor.requireMayChange(find(id));
		requireUser("userId", userId);
		return inTransaction(() -> reassign(id, userId, actor));
	}

	private Bug reassign(long id, Long userId, Actor actor) {
		Bug bug = load(id, null);
		actor.requireMayChange(bug);
		long version = bug.getVersion();
		List<Change> changes = bug.assign(userId, now());
		if (changes.isEmpty()) {
			return bug;
		}
		this.bugs.update(bug, version);
		this.history.append(id, actor.userId(), bug.getUpdatedAt(), (userId != null) ? "ASSIGNED" : "UNASSIGNED",
				changes);
		this.notifications.assigned(bug, actor.userId());
		return bug;
	}

	public Bug watch(long id, long userId, boolean watching, Actor actor) {
		actor.requireUser();
		actor.requireMayActFor(userId);
		if (watching && !actor.is(userId)) {
			requireUser("userId", userId);
		}
		return inTransaction(() -> changeWatchers(id, userId, watching, actor));
	}

	private Bug changeWatchers(long id, long userId, boolean watching, Actor actor) {
		Bug bug = load(id, null);
		long version = bug.getVersion();
		List<Change> changes = watching ? bug.watch(userId, now()) : bug.unwatch(userId, now());
		if (!changes.isEmpty()) {
			this.bugs.update(bug, version);
			this.history.append(id, actor.userId(), bug.getUpdatedAt(), watching ? "WATCHER_ADDED" : "WATCHER_REMOVED",
					changes);
		}
		return bug;
	}

	/**
	 * @param id the bug
	 * @param actor the author
	 * @param body the text
	 * @return the comment
	 */
	public Comment comment(long id, Actor actor, String body) {
		long authorId = actor.requireUser();
		lookUpInterestedUsers(find(id), authorId);
		return inTransaction(() -> addComment(id, authorId, body));
	}

	private Comment addComment(long id, long authorId, String body) {
		Bug bug = load(id, null);
		Instant now = now();
		Comment comment = this.comments.insert(id, authorId, Comment.validBody(body), now);
		touch(bug, now);
		this.history.append(id, authorId, now, "COMMENT_ADDED",
				new Change("comment", null, String.valueOf(comment.id())));
		this.notifications.commented(bug, comment);
		return comment;
	}

	public Comment editComment(long id, long commentId, String body, Actor actor) {
		actor.requireUser();
		return inTransaction(() -> changeComment(id, commentId, body, actor));
	}

	private Comment changeComment(long id, long commentId, String body, Actor actor) {
		Bug bug = load(id, null);
		Comment comment = this.comments.find(id, commentId)
			.orElseThrow(() -> new CommentNotFoundException(id, commentId));
		actor.requireMayChange(comment);
		Instant now = now();
		String valid = Comment.validBody(body);
		this.comments.updateBody(commentId, valid, now);
		touch(bug, now);
		this.history.append(id, actor.userId(), now, "COMMENT_EDITED",
				new Change("comment:" + commentId, comment.body(), valid));
		return new Comment(commentId, id, comment.authorId(), valid, comment.createdAt(), now);
	}

	public void deleteComment(long id, long commentId, Actor actor) {
		actor.requireUser();
		inTransaction(() -> removeComment(id, commentId, actor));
	}

	private Void removeComment(long id, long commentId, Actor actor) {
		Bug bug = load(id, null);
		Comment comment = this.comments.find(id, commentId)
			.orElseThrow(() -> new CommentNotFoundException(id, commentId));
		actor.requireMayChange(comment);
		Instant now = now();
		this.comments.delete(commentId);
		touch(bug, now);
		this.history.append(id, actor.userId(), now, "COMMENT_REMOVED",
				new Change("comment:" + commentId, comment.body(), null));
		return null;
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

	/**
	 * The bug a change applies to. Without an expected version (no {@code If-Match}) the
	 * change applies to the bug as it is now: its row is locked, so that a concurrent
	 * change waits instead of failing on the version this one steps. With one, a
	 * concurrent change makes it stale (412), as the client asked.
	 */
	private Bug load(long id, Long expectedVersion) {
		Bug bug = ((expectedVersion != null) ? this.bugs.find(id) : this.bugs.findForUpdate(id))
			.orElseThrow(() -> new BugNotFoundException(id));
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

	/** The database work of a change, in one transaction (joining one already open). */
	private <T> T inTransaction(Supplier<T> work) {
		return this.transactions.execute((status) -> work.get());
	}

	/**
	 * Look up everyone who hears about a change of the bug, so that its emails can be
	 * written inside the transaction without asking users-service.
	 */
	private void lookUpInterestedUsers(Bug bug, Long actor) {
		for (Long userId : bug.interestedUsers(actor)) {
			this.users.find(userId);
		}
	}

	private Bug find(long id) {
		return this.bugs.find(id).orElseThrow(() -> new BugNotFoundException(id));
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

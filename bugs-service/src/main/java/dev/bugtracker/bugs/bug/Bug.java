package dev.bugtracker.bugs.bug;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A bug: what is wrong, where it stands in the {@link Workflow}, who reported it, works
 * on it and watches it. Every change returns the {@link Change}s it made, for the
 * history.
 */
public class Bug {

	/** Longest title a bug may have. */
	public static final int MAX_TITLE = 200;

	/** Longest description a bug may have. */
	public static final int MAX_DESCRIPTION = 20_000;

	/** Most labels a bug may have. */
	public static final int MAX_LABELS = 20;

	/** What a label looks like once lower-cased. */
	public static final Pattern LABEL = Pattern.compile("[a-z0-9][a-z0-9._-]{0,49}");

	/** The prefix of human keys, as in {@code BUG-42}. */
	public static final String KEY_PREFIX = "BUG-";

	private Long id;

	private String title;

	private String description;

	private Status status;

	private Resolution resolution;

	private Long duplicateOf;

	private Priority priority;

	private Severity severity;

	private final Long reporterId;

	private Long assigneeId;

	private final SortedSet<String> labels;

	private final SortedSet<Long> watchers;

	private final Instant createdAt;

	private Instant updatedAt;

	private Instant resolvedAt;

	private long version;

	Bug(Long id, String title, String description, Status status, Resolution resolution, Long duplicateOf,
			Priority priority, Severity severity, Long reporterId, Long assigneeId, Set<String> labels,
			Set<Long> watchers, Instant createdAt, Instant updatedAt, Instant resolvedAt, long version) {
		this.id = id;
		this.title = title;
		this.description = description;
		this.status = status;
		this.resolution = resolution;
		this.duplicateOf = duplicateOf;
		this.priority = priority;
		this.severity = severity;
		this.reporterId = reporterId;
		this.assigneeId = assigneeId;
		this.labels = new TreeSet<>(labels);
		this.watchers = new TreeSet<>(watchers);
		this.createdAt = createdAt;
		this.updatedAt = updatedAt;
		this.resolvedAt = resolvedAt;
		this.version = version;
	}

	/**
	 * Report a new bug; it starts {@code OPEN}.
	 * @param report what the reporter said
	 * @param now the time of the report
	 * @return the bug, not yet stored
	 */
	static Bug report(NewBug report, Instant now) {
		String title = validTitle(report.title());
		return new Bug(null, title, validDescription(report.description()), Status.OPEN, null, null,
				Objects.requireNonNullElse(report.priority(), Priority.MEDIUM),
				Objects.requireNonNullElse(report.severity(), Severity.MAJOR), report.reporterId(), report.assigneeId(),
				validLabels(report.labels()), Set.of(), now, now, null, 0);
	}

	/**
	 * Parse an id or a key ({@code 42} or {@code BUG-42}).
	 * @param idOrKey what the client sent
	 * @return the id, or null if it is neither
	 */
	public static Long parseIdOrKey(String idOrKey) {
		String digits = idOrKey.regionMatches(true, 0, KEY_PREFIX, 0, KEY_PREFIX.length())
				? idOrKey.substring(KEY_PREFIX.length()) : idOrKey;
		if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
			return null;
		}
		return Long.parseLong(digits);
	}

	/**
	 * Apply an edit of the descriptive fields.
	 * @param edit the fields to change; absent ones stay
	 * @param now the time of the edit
	 * @return what changed
	 */
	List<Change> edit(BugEdit edit, Instant now) {
		List<Change> changes = new ArrayList<>();
		if (edit.title() != null) {
			String title = validTitle(edit.title());
			record(changes, "title", this.title, title);
			this.title = title;
		}
		if (edit.description() != null) {
			String description = validDescription(edit.description().isEmpty() ? null : edit.description());
			record(changes, "description", this.description, description);
			this.description = description;
		}
		if (edit.priority() != null) {
			record(changes, "priority", this.priority, edit.priority());
			this.priority = edit.priority();
		}
		if (edit.severity() != null) {
			record(changes, "severity", this.severity, edit.severity());
			this.severity = edit.severity();
		}
		if (edit.labels() != null) {
			SortedSet<String> labels = validLabels(edit.labels());
			record(changes, "labels", String.join(",", this.labels), String.join(",", labels));
			this.labels.clear();
			this.labels.addAll(labels);
		}
		touch(changes, now);
		return changes;
	}

	/**
	 * Move the bug in its workflow.
	 * @param to the new status
	 * @param resolution the resolution, when resolving or closing
	 * @param duplicateOf the original, when the resolution is {@code DUPLICATE}
	 * @param now the time of the move
	 * @return what changed: the status, and the resolution if it changed
	 */
	List<Change> moveTo(Status to, Resolution resolution, Long duplicateOf, Instant now) {
		Resolution after = Workflow.check(this.status, this.resolution, to, resolution, duplicateOf);
		if (duplicateOf != null && duplicateOf.equals(this.id)) {
			throw new InvalidBugException("duplicateOf", "cannot be the bug itself");
		}
		List<Change> changes = new ArrayList<>();
		record(changes, "status", this.status, to);
		record(changes, "resolution", this.resolution, after);
		Long duplicate = (after == Resolution.DUPLICATE) ? ((duplicateOf != null) ? duplicateOf : this.duplicateOf)
				: null;
		record(changes, "duplicateOf", this.duplicateOf, duplicate);
		this.status = to;
		this.resolution = after;
		this.duplicateOf = duplicate;
		if (after == null) {
			this.resolvedAt = null;
		}
		else if (this.resolvedAt == null) {
			this.resolvedAt = now;
		}
		touch(changes, now);
		return changes;
	}

	/**
	 * Assign the bug, or unassign it.
	 * @param userId the new assignee, or null
	 * @param now the time of the change
	 * @return what changed (empty if nothing did)
	 */
	List<Change> assign(Long userId, Instant now) {
		List<Change> changes = new ArrayList<>();
		record(changes, "assignee", this.assigneeId, userId);
		this.assigneeId = userId;
		touch(changes, now);
		return changes;
	}

	/**
	 * Add a watcher.
	 * @param userId the user
	 * @param now the time of the change
	 * @return what changed (empty if the user was already watching)
	 */
	List<Change> watch(long userId, Instant now) {
		List<Change> changes = this.watchers.add(userId) ? List.of(new Change("watchers", null, String.valueOf(userId)))
				: List.of();
		touch(changes, now);
		return changes;
	}

	/**
	 * Remove a watcher.
	 * @param userId the user
	 * @param now the time of the change
	 * @return what changed (empty if the user was not watching)
	 */
	List<Change> unwatch(long userId, Instant now) {
		List<Change> changes = this.watchers.remove(userId)
				? List.of(new Change("watchers", String.valueOf(userId), null)) : List.of();
		touch(changes, now);
		return changes;
	}

	/**
	 * Who should hear about a change: reporter, assignee and watchers, except who made
	 * it.
	 * @param actor the user who made the change, or null
	 * @return the user ids to notify
	 */
	public Set<Long> interestedUsers(Long actor) {
		Set<Long> users = new TreeSet<>(this.watchers);
		if (this.reporterId != null) {
			users.add(this.reporterId);
		}
		if (this.assigneeId != null) {
			users.add(this.assigneeId);
		}
		if (actor != null) {
			users.remove(actor);
		}
		return users;
	}

	private void touch(List<Change> changes, Instant now) {
		if (!changes.isEmpty()) {
			this.updatedAt = now;
		}
	}

	private static void record(List<Change> changes, String field, Object before, Object after) {
		if (!Objects.equals(before, after)) {
			changes.add(new Change(field, (before != null) ? before.toString() : null,
					(after != null) ? after.toString() : null));
		}
	}

	static String validTitle(String title) {
		if (title == null || title.isBlank()) {
			throw new InvalidBugException("title", "must not be blank");
		}
		String stripped = title.strip();
		if (stripped.length() > MAX_TITLE) {
			throw new InvalidBugException("title", "must be at most " + MAX_TITLE + " characters");
		}
		return stripped;
	}

	static String validDescription(String description) {
		if (description != null && description.length() > MAX_DESCRIPTION) {
			throw new InvalidBugException("description", "must be at most " + MAX_DESCRIPTION + " characters");
		}
		return (description == null || description.isBlank()) ? null : description;
	}

	static SortedSet<String> validLabels(Set<String> labels) {
		if (labels == null) {
			return new TreeSet<>();
		}
		SortedSet<String> normalized = labels.stream()
			.map((label) -> (label != null) ? label.strip().toLowerCase(Locale.ROOT) : "")
			.collect(Collectors.toCollection(TreeSet::new));
		for (String label : normalized) {
			if (!LABEL.matcher(label).matches()) {
				throw new InvalidBugException("labels",
						"'" + label + "' is not a valid label (1-50 of a-z, 0-9, '.', '_', '-')");
			}
		}
		if (normalized.size() > MAX_LABELS) {
			throw new InvalidBugException("labels", "must be at most " + MAX_LABELS + " labels");
		}
		return normalized;
	}

	/** Something that belongs to the bug (a comment) changed. */
	void markUpdated(Instant now) {
		this.updatedAt = now;
	}

	void assignId(long id) {
		this.id = id;
	}

	void nextVersion() {
		this.version++;
	}

	public Long getId() {
		return this.id;
	}

	public String getKey() {
		return KEY_PREFIX + this.id;
	}

	public String getTitle() {
		return this.title;
	}

	public String getDescription() {
		return this.description;
	}

	public Status getStatus() {
		return this.status;
	}

	public Resolution getResolution() {
		return this.resolution;
	}

	public Long getDuplicateOf() {
		return this.duplicateOf;
	}

	public Priority getPriority() {
		return this.priority;
	}

	public Severity getSeverity() {
		return this.severity;
	}

	public Long getReporterId() {
		return this.reporterId;
	}

	public Long getAssigneeId() {
		return this.assigneeId;
	}

	public Set<String> getLabels() {
		return Collections.unmodifiableSet(this.labels);
	}

	public Set<Long> getWatchers() {
		return Collections.unmodifiableSet(this.watchers);
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	public Instant getUpdatedAt() {
		return this.updatedAt;
	}

	public Instant getResolvedAt() {
		return this.resolvedAt;
	}

	public long getVersion() {
		return this.version;
	}

}

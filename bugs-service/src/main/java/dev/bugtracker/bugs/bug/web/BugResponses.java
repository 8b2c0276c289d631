package dev.bugtracker.bugs.bug.web;

import java.time.Instant;
import java.util.Set;

import dev.bugtracker.bugs.bug.Bug;
import dev.bugtracker.bugs.bug.Comment;
import dev.bugtracker.bugs.bug.HistoryEntry;
import dev.bugtracker.bugs.bug.Priority;
import dev.bugtracker.bugs.bug.Resolution;
import dev.bugtracker.bugs.bug.Severity;
import dev.bugtracker.bugs.bug.Status;

/**
 * The response bodies of the bugs API.
 */
final class BugResponses {

	private BugResponses() {
	}

	record BugResponse(long id, String key, String title, String description, Status status, Resolution resolution,
			Long duplicateOf, Priority priority, Severity severity, Long reporterId, Long assigneeId,
			Set<String> labels, Set<Long> watchers, Instant createdAt, Instant updatedAt, Instant resolvedAt,
			long version) {

		static BugResponse of(Bug bug) {
			return new BugResponse(bug.getId(), bug.getKey(), bug.getTitle(), bug.getDescription(), bug.getStatus(),
					bug.getResolution(), bug.getDuplicateOf(), bug.getPriority(), bug.getSeverity(),
					bug.getReporterId(), bug.getAssigneeId(), bug.getLabels(), bug.getWatchers(), bug.getCreatedAt(),
					bug.getUpdatedAt(), bug.getResolvedAt(), bug.getVersion());
		}

	}

	record CommentResponse(long id, long bugId, long authorId, String body, Instant createdAt, Instant updatedAt) {

		static CommentResponse of(Comment comment) {
			return new CommentResponse(comment.id(), comment.bugId(), comment.authorId(), comment.body(),
					comment.createdAt(), comment.updatedAt());
		}

	}

	record HistoryResponse(long id, Long actorId, Instant at, String action, String field, String oldValue,
			String newValue) {

		static HistoryResponse of(HistoryEntry entry) {
			return new HistoryResponse(entry.id(), entry.actorId(), entry.at(), entry.action(), entry.field(),
					entry.oldValue(), entry.newValue());
		}

	}

}

package dev.bugtracker.bugs.bug.web;

import java.util.Set;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.bugtracker.bugs.bug.Bug;
import dev.bugtracker.bugs.bug.Comment;
import dev.bugtracker.bugs.bug.Priority;
import dev.bugtracker.bugs.bug.Resolution;
import dev.bugtracker.bugs.bug.Severity;
import dev.bugtracker.bugs.bug.Status;

/**
 * The request bodies of the bugs API.
 */
final class BugRequests {

	private BugRequests() {
	}

	/**
	 * The tutorial's body of {@code POST /bugs/create}.
	 *
	 * @param bug the bug's title
	 */
	record TutorialBug(@NotBlank @Size(max = Bug.MAX_TITLE) String bug) {
	}

	/**
	 * The body of {@code POST /bugs}.
	 *
	 * @param title what is wrong; required
	 * @param description details
	 * @param priority {@code MEDIUM} by default
	 * @param severity {@code MAJOR} by default
	 * @param reporterId the reporting user: optional, and if given, the acting user
	 * @param assigneeId the user to assign
	 * @param labels short lower-case labels
	 */
	record NewBugRequest(@NotBlank @Size(max = Bug.MAX_TITLE) String title,
			@Size(max = Bug.MAX_DESCRIPTION) String description, Priority priority, Severity severity, Long reporterId,
			Long assigneeId, @Size(max = Bug.MAX_LABELS) Set<String> labels) {
	}

	/**
	 * The body of {@code POST /bugs/{id}/transitions}.
	 *
	 * @param to the new status
	 * @param resolution required when resolving, or closing an open bug
	 * @param duplicateOf the original, with resolution {@code DUPLICATE}
	 */
	record TransitionRequest(@NotNull Status to, Resolution resolution, Long duplicateOf) {
	}

	/**
	 * The body of {@code PUT /bugs/{id}/assignee}.
	 *
	 * @param userId the new assignee
	 */
	record AssigneeRequest(@NotNull Long userId) {
	}

	/**
	 * The body of {@code POST /bugs/{id}/comments}.
	 *
	 * @param authorId who writes it: optional, and if given, the acting user
	 * @param body the text
	 */
	record NewCommentRequest(Long authorId, @NotBlank @Size(max = Comment.MAX_BODY) String body) {
	}

	/**
	 * The body of {@code PATCH /bugs/{id}/comments/{commentId}}.
	 *
	 * @param body the new text
	 */
	record EditCommentRequest(@NotBlank @Size(max = Comment.MAX_BODY) String body) {
	}

}

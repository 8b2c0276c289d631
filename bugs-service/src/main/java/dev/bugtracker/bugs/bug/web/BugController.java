package dev.bugtracker.bugs.bug.web;

import dev.bugtracker.platform.web.InvalidParameterException;
import dev.bugtracker.platform.web.Paging;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.Valid;

import dev.bugtracker.bugs.bug.Actor;
import dev.bugtracker.bugs.bug.Bug;
import dev.bugtracker.bugs.bug.BugQuery;
import dev.bugtracker.bugs.bug.BugService;
import dev.bugtracker.bugs.bug.Comment;
import dev.bugtracker.bugs.bug.NewBug;
import dev.bugtracker.bugs.bug.NotPermittedException;
import dev.bugtracker.bugs.bug.Priority;
import dev.bugtracker.bugs.bug.Severity;
import dev.bugtracker.bugs.bug.Status;
import dev.bugtracker.bugs.bug.web.BugRequests.AssigneeRequest;
import dev.bugtracker.bugs.bug.web.BugRequests.EditCommentRequest;
import dev.bugtracker.bugs.bug.web.BugRequests.NewBugRequest;
import dev.bugtracker.bugs.bug.web.BugRequests.NewCommentRequest;
import dev.bugtracker.bugs.bug.web.BugRequests.TransitionRequest;
import dev.bugtracker.bugs.bug.web.BugRequests.TutorialBug;
import dev.bugtracker.bugs.bug.web.BugResponses.BugResponse;
import dev.bugtracker.bugs.bug.web.BugResponses.CommentResponse;
import dev.bugtracker.bugs.bug.web.BugResponses.HistoryResponse;

import org.springframework.data.domain.Sort;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The bugs API. Every {@code {id}} also accepts the key ({@code BUG-42}). Errors are
 * mapped in {@link BugErrors}. Who is acting is the {@link Actor} of the access token
 * ({@link ActorArgumentResolver}); which requests need one is decided in
 * {@code SecurityConfiguration}, who may change which bug in {@link BugService}.
 */
@RestController
@RequestMapping(path = "/bugs", produces = MediaType.APPLICATION_JSON_VALUE)
class BugController {

	static final String MERGE_PATCH_JSON = "application/merge-patch+json";

	private final BugService bugs;

	BugController(BugService bugs) {
		this.bugs = bugs;
	}

	/**
	 * Report a bug, the tutorial's way: {@code {"bug": "<title>"}}; anonymous where
	 * {@code bugtracker.security.anonymous-reports} allows it, otherwise by the token's
	 * user. Also accepts JSON labelled as a form, as {@code curl -d} sends it.
	 */
	@PostMapping(path = "/create", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<BugResponse> createTutorialStyle(@Valid @RequestBody TutorialBug request, Actor actor) {
		return created(this.bugs.report(new NewBug(request.bug(), null, null, null, actor.userId(), null, null)));
	}

	/**
	 * Report a bug as the token's user; a {@code reporterId}, if given, must be theirs.
	 */
	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<BugResponse> create(@Valid @RequestBody NewBugRequest request, Actor actor) {
		requireSelf("reporterId", request.reporterId(), actor);
		actor.requireUser();
		return created(this.bugs.report(new NewBug(request.title(), request.description(), request.priority(),
				request.severity(), actor.userId(), request.assigneeId(), request.labels())));
	}

	@GetMapping("/{id}")
	ResponseEntity<BugResponse> get(@PathVariable String id) {
		return withETag(this.bugs.get(id(id)));
	}

	/**
	 * Edit title, description, priority, severity or labels with a JSON Merge Patch. With
	 * {@code If-Match}, a stale ETag gets 412; without it, the last write wins.
	 */
	@PatchMapping(path = "/{id}", consumes = { MERGE_PATCH_JSON, MediaType.APPLICATION_JSON_VALUE })
	ResponseEntity<BugResponse> patch(@PathVariable String id, @RequestBody Map<String, Object> patch,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch, Actor actor) {
		return withETag(this.bugs.edit(id(id), MergePatch.toEdit(patch), ETags.expectedVersion(ifMatch), actor));
	}

	@PostMapping(path = "/{id}/transitions", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<BugResponse> transition(@PathVariable String id, @Valid @RequestBody TransitionRequest request,
			Actor actor) {
		return withETag(this.bugs.transition(id(id), request.to(), request.resolution(), request.duplicateOf(), actor));
	}

	@PutMapping(path = "/{id}/assignee", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<BugResponse> assign(@PathVariable String id, @Valid @RequestBody AssigneeRequest request,
			Actor actor) {
		return withETag(this.bugs.assign(id(id), request.userId(), actor));
	}

	@DeleteMapping("/{id}/assignee")
	ResponseEntity<BugResponse> unassign(@PathVariable String id, Actor actor) {
		return withETag(this.bugs.assign(id(id), null, actor));
	}

	@PutMapping("/{id}/watchers/{userId}")
	ResponseEntity<BugResponse> watch(@PathVariable String id, @PathVariable long userId, Actor actor) {
		return withETag(this.bugs.watch(id(id), userId, true, actor));
	}

	@DeleteMapping("/{id}/watchers/{userId}")
	ResponseEntity<BugResponse> unwatch(@PathVariable String id, @PathVariable long userId, Actor actor) {
		return withETag(this.bugs.watch(id(id), userId, false, actor));
	}

	@PostMapping(path = "/{id}/comments", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<CommentResponse> comment(@PathVariable String id, @Valid @RequestBody NewCommentRequest request,
			Actor actor) {
		requireSelf("authorId", request.authorId(), actor);
		long bugId = id(id);
		Comment comment = this.bugs.comment(bugId, actor, request.body());
		return ResponseEntity.created(URI.create("/bugs/" + bugId + "/comments/" + comment.id()))
			.body(CommentResponse.of(comment));
	}

	@GetMapping("/{id}/comments")
	PagedModel<CommentResponse> comments(@PathVariable String id, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size) {
		return new PagedModel<>(this.bugs.comments(id(id), Paging.of(page, size, null, Set.of(), Sort.by("id")))
			.map(CommentResponse::of));
	}

	@PatchMapping(path = "/{id}/comments/{commentId}",
			consumes = { MERGE_PATCH_JSON, MediaType.APPLICATION_JSON_VALUE })
	CommentResponse editComment(@PathVariable String id, @PathVariable long commentId,
			@Valid @RequestBody EditCommentRequest request, Actor actor) {
		return CommentResponse.of(this.bugs.editComment(id(id), commentId, request.body(), actor));
	}

	@DeleteMapping("/{id}/comments/{commentId}")
	ResponseEntity<Void> deleteComment(@PathVariable String id, @PathVariable long commentId, Actor actor) {
		this.bugs.deleteComment(id(id), commentId, actor);
		return ResponseEntity.noContent().build();
	}

	/** The audit trail, oldest first. */
	@GetMapping("/{id}/history")
	PagedModel<HistoryResponse> history(@PathVariable String id, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "100") int size) {
		return new PagedModel<>(this.bugs.history(id(id), Paging.of(page, size, null, Set.of(), Sort.by("id")))
			.map(HistoryResponse::of));
	}

	/**
	 * Search. {@code assignee} takes a user id or {@code none}; {@code q} matches words
	 * in the title or description; {@code sort} is {@code field[,asc|desc]} over
	 * {@link BugQuery#SORTABLE}.
	 */
	@GetMapping
	PagedModel<BugResponse> search(@RequestParam(required = false) Set<Status> status,
			@RequestParam(required = false) String assignee, @RequestParam(required = false) Long reporter,
			@RequestParam(required = false) String label, @RequestParam(required = false) Priority priority,
			@RequestParam(required = false) Severity severity, @RequestParam(required = false) String q,
			@RequestParam(required = false) List<String> sort, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "20") int size) {
		boolean unassigned = "none".equalsIgnoreCase(assignee);
		Long assigneeId = null;
		if (assignee != null && !unassigned) {
			assigneeId = Bug.parseIdOrKey(assignee);
			if (assigneeId == null || assignee.regionMatches(true, 0, Bug.KEY_PREFIX, 0, Bug.KEY_PREFIX.length())) {
				throw new InvalidParameterException("assignee", "must be a user id or 'none'");
			}
		}
		BugQuery query = new BugQuery(status, assigneeId, unassigned, reporter, label, priority, severity, q);
		return new PagedModel<>(this.bugs
			.search(query, Paging.of(page, size, sort, BugQuery.SORTABLE, Sort.by(Sort.Direction.DESC, "updatedAt")))
			.map(BugResponse::of));
	}

	/**
	 * The acting user is the token's: a body that names someone else is refused, not
	 * silently corrected.
	 */
	private static void requireSelf(String field, Long named, Actor actor) {
		if (named != null && !actor.is(named)) {
			throw new NotPermittedException(
					"'" + field + "' must be the acting user's own id (or be left out): users act only as themselves");
		}
	}

	/**
	 * The one place that reads a bug's id or key from a path: a malformed one is a 400
	 * naming the parameter, as on every resource; a well-formed one that names no bug is
	 * a 404.
	 */
	private static long id(String idOrKey) {
		Long id = Bug.parseIdOrKey(idOrKey);
		if (id == null) {
			throw new InvalidParameterException("id",
					"must be a bug id or key, e.g. 42 or BUG-42, got '" + idOrKey + "'");
		}
		return id;
	}

	private static ResponseEntity<BugResponse> created(Bug bug) {
		return ResponseEntity.created(URI.create("/bugs/" + bug.getId())).eTag(ETags.of(bug)).body(BugResponse.of(bug));
	}

	private static ResponseEntity<BugResponse> withETag(Bug bug) {
		return ResponseEntity.ok().eTag(ETags.of(bug)).body(BugResponse.of(bug));
	}

}

package dev.bugtracker.bugs.bug.web;

import java.net.URI;

import jakarta.validation.Valid;

import dev.bugtracker.bugs.bug.Bug;
import dev.bugtracker.bugs.bug.BugService;

import org.springframework.data.domain.Pageable;
import org.springframework.data.web.PageableDefault;
import org.springframework.data.web.PagedModel;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The bugs API. Errors are mapped in {@link BugErrors}.
 */
@RestController
@RequestMapping(path = "/bugs", produces = MediaType.APPLICATION_JSON_VALUE)
class BugController {

	private final BugService bugs;

	BugController(BugService bugs) {
		this.bugs = bugs;
	}

	/**
	 * Report a bug: the tutorial's call, {@code {"bug": "<title>"}}; also accepts JSON
	 * labelled as a form, as {@code curl -d} sends it.
	 * @param request the bug
	 * @return 201 with the bug and its location
	 */
	@PostMapping(path = "/create", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<BugResponse> create(@Valid @RequestBody ReportBugRequest request) {
		Bug bug = this.bugs.report(request.bug());
		return ResponseEntity.created(URI.create("/bugs/" + bug.getId())).body(BugResponse.of(bug));
	}

	@GetMapping("/{id}")
	BugResponse get(@PathVariable long id) {
		return BugResponse.of(this.bugs.get(id));
	}

	@GetMapping
	PagedModel<BugResponse> list(@PageableDefault(sort = "id") Pageable pageable) {
		return new PagedModel<>(this.bugs.list(pageable).map(BugResponse::of));
	}

}

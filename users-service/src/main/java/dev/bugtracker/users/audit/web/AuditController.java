package dev.bugtracker.users.audit.web;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.bugtracker.platform.web.Paging;
import dev.bugtracker.users.audit.AuditEvent;
import dev.bugtracker.users.audit.AuditEventType;
import dev.bugtracker.users.audit.AuditLog;
import dev.bugtracker.users.audit.AuditQuery;

import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PagedModel;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit log, for admins (the ADMIN role, and a token with {@code users:read}).
 */
@RestController
@RequestMapping(path = "/auth/audit", produces = MediaType.APPLICATION_JSON_VALUE)
class AuditController {

	private static final Set<String> SORTABLE = Set.of("occurredAt");

	private final AuditLog audit;

	AuditController(AuditLog audit) {
		this.audit = audit;
	}

	/**
	 * Audit entries, newest first, filtered and paged.
	 * @param type only this kind of event ({@code SIGN_UP}, {@code LOGIN},
	 * {@code LOGIN_FAILED}, {@code PASSWORD_SET}, {@code TOKEN_CREATED},
	 * {@code TOKEN_REVOKED}, {@code ROLE_GRANTED}, {@code ROLE_REVOKED})
	 * @param actor only this actor's (a user id, a client id, or a login's email)
	 * @param outcome {@code SUCCESS} or {@code FAILURE}
	 * @param from from this time on, ISO 8601 ({@code 2026-11-23T10:00:00Z})
	 * @param to before this time
	 * @param sort {@code occurredAt} or {@code occurredAt,desc} (the default)
	 * @param page the page number, from 0
	 * @param size the page size, 1 to 100
	 * @return the page in Spring Data's {@code PagedModel} shape
	 */
	@GetMapping
	PagedModel<AuditEvent> list(@RequestParam(required = false) AuditEventType type,
			@RequestParam(required = false) String actor, @RequestParam(required = false) AuditEvent.Outcome outcome,
			@RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
			@RequestParam(required = false) List<String> sort, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "" + Paging.DEFAULT_SIZE) int size) {
		Pageable pageable = Paging.of(page, size, sort, SORTABLE, Sort.by(Sort.Direction.DESC, "occurredAt"));
		return new PagedModel<>(this.audit.find(new AuditQuery(type, actor, outcome, from, to), pageable));
	}

}

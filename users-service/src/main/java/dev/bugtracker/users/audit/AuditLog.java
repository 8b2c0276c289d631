package dev.bugtracker.users.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Records security-relevant events in the {@code audit_event} table, and reads them back.
 * An event is written in the transaction of the change it records, if there is one: a
 * change that rolls back leaves no entry. Who, from where and which trace come from the
 * request being served. Entries are also logged on the {@code bugtracker.audit} logger.
 * The table is append-only: nothing here updates or deletes, and PostgreSQL refuses to.
 */
@Component
public class AuditLog {

	private static final Logger log = LoggerFactory.getLogger("bugtracker.audit");

	private final JdbcClient jdbc;

	private final Clock clock;

	AuditLog(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Record an event of the current caller.
	 * @param type what happened
	 * @param subject what it concerns, or null
	 * @param success whether it succeeded
	 * @param details more about it, or null
	 */
	public void record(AuditEventType type, String subject, boolean success, String details) {
		record(type, currentActor(), subject, success, details);
	}

	/**
	 * Record an event of a given actor (a login's account, which is not the caller yet).
	 * @param type what happened
	 * @param actor who did it
	 * @param subject what it concerns, or null
	 * @param success whether it succeeded
	 * @param details more about it, or null
	 */
	public void record(AuditEventType type, String actor, String subject, boolean success, String details) {
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		AuditEvent.Outcome outcome = success ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.FAILURE;
		String address = clientAddress();
		String traceId = MDC.get("traceId");
		this.jdbc.sql("""
				insert into audit_event (occurred_at, type, actor, subject, outcome, client_address, trace_id, details)
				values (:occurredAt, :type, :actor, :subject, :outcome, :address, :traceId, :details)
				""")
			.param("occurredAt", now.atOffset(ZoneOffset.UTC))
			.param("type", type.name())
			.param("actor", truncate(actor, 320))
			.param("subject", subject)
			.param("outcome", outcome.name())
			.param("address", address)
			.param("traceId", traceId)
			.param("details", truncate(details, 500))
			.update();
		log.info("{} {} by {} on {} from {}{}", type, outcome, actor, (subject != null) ? subject : "-", address,
				(details != null) ? ": " + details : "");
	}

	/**
	 * @param query the criteria
	 * @param pageable the page, newest first unless sorted otherwise
	 * @return the matching entries
	 */
	public Page<AuditEvent> find(AuditQuery query, Pageable pageable) {
		List<String> conditions = new ArrayList<>();
		java.util.Map<String, Object> params = new java.util.HashMap<>();
		if (query.type() != null) {
			conditions.add("type = :type");
			params.put("type", query.type().name());
		}
		if (query.actor() != null) {
			conditions.add("actor = :actor");
			params.put("actor", query.actor());
		}
		if (query.outcome() != null) {
			conditions.add("outcome = :outcome");
			params.put("outcome", query.outcome().name());
		}
		if (query.from() != null) {
			conditions.add("occurred_at >= :from");
			params.put("from", query.from().atOffset(ZoneOffset.UTC));
		}
		if (query.to() != null) {
			conditions.add("occurred_at < :to");
			params.put("to", query.to().atOffset(ZoneOffset.UTC));
		}
		String where = conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
		long total = this.jdbc.sql("select count(*) from audit_event" + where)
			.params(params)
			.query(Long.class)
			.single();
		String order = pageable.getSort().getOrderFor("occurredAt") != null
				&& pageable.getSort().getOrderFor("occurredAt").isAscending() ? "asc" : "desc";
		List<AuditEvent> events = this.jdbc
			.sql("""
					select id, occurred_at, type, actor, subject, outcome, client_address, trace_id, details
					from audit_event""" + where + " order by occurred_at " + order + ", id " + order
					+ " limit :limit offset :offset")
			.params(params)
			.param("limit", pageable.getPageSize())
			.param("offset", pageable.getOffset())
			.query((rs, n) -> new AuditEvent(rs.getLong("id"), toInstant(rs.getObject("occurred_at")),
					AuditEventType.valueOf(rs.getString("type")), rs.getString("actor"), rs.getString("subject"),
					AuditEvent.Outcome.valueOf(rs.getString("outcome")), rs.getString("client_address"),
					rs.getString("trace_id"), rs.getString("details")))
			.list();
		return new PageImpl<>(events, pageable, total);
	}

	private static Instant toInstant(Object value) {
		if (value instanceof OffsetDateTime time) {
			return time.toInstant();
		}
		return ((Timestamp) value).toInstant();
	}

	private static String currentActor() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken) {
			return "anonymous";
		}
		return authentication.getName();
	}

	private static String clientAddress() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			HttpServletRequest request = attributes.getRequest();
			return request.getRemoteAddr();
		}
		return null;
	}

	private static String truncate(String value, int length) {
		return (value != null && value.length() > length) ? value.substring(0, length) : value;
	}

}

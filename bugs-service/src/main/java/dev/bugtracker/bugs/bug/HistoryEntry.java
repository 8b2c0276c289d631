package dev.bugtracker.bugs.bug;

import java.time.Instant;

/**
 * One entry of a bug's audit trail.
 *
 * @param id the entry's id (entries are in id order)
 * @param actorId who made the change, or null when unknown
 * @param at when
 * @param action what kind of change: CREATED, UPDATED, TRANSITIONED, ASSIGNED,
 * UNASSIGNED, WATCHER_ADDED, WATCHER_REMOVED, COMMENT_ADDED, COMMENT_EDITED,
 * COMMENT_REMOVED
 * @param field the field that changed, if any
 * @param oldValue the value before, if any
 * @param newValue the value after, if any
 */
public record HistoryEntry(long id, Long actorId, Instant at, String action, String field, String oldValue,
		String newValue) {
}

package dev.bugtracker.bugs.bug.web;

import dev.bugtracker.platform.web.InvalidParameterException;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.bugtracker.bugs.bug.BugEdit;
import dev.bugtracker.bugs.bug.Priority;
import dev.bugtracker.bugs.bug.Severity;

/**
 * Reads a JSON Merge Patch (RFC 7396) of a bug's descriptive fields: a member present
 * with a value sets it, {@code null} removes it where that makes sense (description,
 * labels), an absent member leaves it alone. Status, assignee and the rest have their own
 * endpoints.
 */
final class MergePatch {

	static final Set<String> FIELDS = Set.of("title", "description", "priority", "severity", "labels");

	private MergePatch() {
	}

	static BugEdit toEdit(Map<String, Object> patch) {
		for (String field : patch.keySet()) {
			if (!FIELDS.contains(field)) {
				throw new InvalidParameterException(field, "cannot be changed with PATCH; patchable fields are "
						+ FIELDS + " (status: POST /bugs/{id}/transitions, assignee: PUT /bugs/{id}/assignee)");
			}
		}
		String title = null;
		if (patch.containsKey("title")) {
			title = string(patch, "title", false);
		}
		String description = null;
		if (patch.containsKey("description")) {
			String value = string(patch, "description", true);
			description = (value != null) ? value : "";
		}
		Priority priority = patch.containsKey("priority") ? constant(patch, "priority", Priority.class) : null;
		Severity severity = patch.containsKey("severity") ? constant(patch, "severity", Severity.class) : null;
		Set<String> labels = null;
		if (patch.containsKey("labels")) {
			labels = labels(patch.get("labels"));
		}
		return new BugEdit(title, description, priority, severity, labels);
	}

	private static String string(Map<String, Object> patch, String field, boolean nullable) {
		Object value = patch.get(field);
		if (value == null) {
			if (nullable) {
				return null;
			}
			throw new InvalidParameterException(field, "cannot be removed");
		}
		if (!(value instanceof String text)) {
			throw new InvalidParameterException(field, "must be a string");
		}
		return text;
	}

	private static <E extends Enum<E>> E constant(Map<String, Object> patch, String field, Class<E> type) {
		Object value = patch.get(field);
		if (value instanceof String text) {
			for (E constant : type.getEnumConstants()) {
				if (constant.name().equals(text)) {
					return constant;
				}
			}
		}
		throw new InvalidParameterException(field, "must be one of " + Arrays.toString(type.getEnumConstants()));
	}

	private static Set<String> labels(Object value) {
		if (value == null) {
			return Set.of();
		}
		if (!(value instanceof List<?> list)) {
			throw new InvalidParameterException("labels", "must be an array of strings");
		}
		Set<String> labels = new LinkedHashSet<>();
		for (Object item : list) {
			if (!(item instanceof String label)) {
				throw new InvalidParameterException("labels", "must be an array of strings");
			}
			labels.add(label);
		}
		return labels;
	}

}

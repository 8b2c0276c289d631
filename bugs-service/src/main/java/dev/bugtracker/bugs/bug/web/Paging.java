package dev.bugtracker.bugs.bug.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;

/**
 * Strict paging: a bad {@code page}, {@code size} or {@code sort} is an error naming the
 * parameter, not something silently replaced by a default.
 */
final class Paging {

	static final int MAX_SIZE = 100;

	private Paging() {
	}

	static Pageable of(int page, int size, List<String> sort, Set<String> sortable, Sort defaultSort) {
		if (page < 0) {
			throw new InvalidRequestException("page", "must be 0 or more");
		}
		if (size < 1 || size > MAX_SIZE) {
			throw new InvalidRequestException("size", "must be between 1 and " + MAX_SIZE);
		}
		List<Sort.Order> orders = new ArrayList<>();
		for (String spec : (sort != null) ? sort : List.<String>of()) {
			String[] parts = spec.split(",");
			String property = parts[0].trim();
			if (!sortable.contains(property)) {
				throw new InvalidRequestException("sort",
						"cannot sort by '" + property + "'; sortable fields are " + sortable);
			}
			Sort.Direction direction = Sort.Direction.ASC;
			if (parts.length > 1) {
				String value = parts[1].trim().toLowerCase(Locale.ROOT);
				if (!value.equals("asc") && !value.equals("desc")) {
					throw new InvalidRequestException("sort", "direction must be asc or desc, not '" + parts[1] + "'");
				}
				direction = value.equals("desc") ? Sort.Direction.DESC : Sort.Direction.ASC;
			}
			orders.add(new Sort.Order(direction, property));
		}
		return PageRequest.of(page, size, orders.isEmpty() ? defaultSort : Sort.by(orders));
	}

}

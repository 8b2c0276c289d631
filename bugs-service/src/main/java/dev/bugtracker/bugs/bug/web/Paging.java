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
		// Spring splits "priority,desc" into two values: a direction applies to the field
		// before it.
		List<Sort.Order> orders = new ArrayList<>();
		for (String spec : (sort != null) ? sort : List.<String>of()) {
			for (String token : spec.split(",")) {
				String value = token.trim();
				String lower = value.toLowerCase(Locale.ROOT);
				if (lower.equals("asc") || lower.equals("desc")) {
					if (orders.isEmpty()) {
						throw new InvalidRequestException("sort", "must name a field before its direction");
					}
					Sort.Order last = orders.remove(orders.size() - 1);
					orders.add(lower.equals("desc") ? last.with(Sort.Direction.DESC) : last.with(Sort.Direction.ASC));
				}
				else if (!sortable.contains(value)) {
					throw new InvalidRequestException("sort",
							"cannot sort by '" + value + "'; sortable fields are " + sortable);
				}
				else {
					orders.add(Sort.Order.asc(value));
				}
			}
		}
		return PageRequest.of(page, size, orders.isEmpty() ? defaultSort : Sort.by(orders));
	}

}

package dev.bugtracker.platform.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;

/**
 * Strict paging, the same for every list endpoint: a bad {@code page}, {@code size} or
 * {@code sort} is a 400 naming the parameter, never silently replaced by a default, and
 * only the fields the endpoint names can be sorted by. Endpoints take {@code page}
 * (default 0) and {@code size} (default {@value #DEFAULT_SIZE}) as {@code int} request
 * parameters, so a non-number is a 400 naming it too.
 */
public final class Paging {

	/** The page size when the client names none. */
	public static final int DEFAULT_SIZE = 20;

	/** The largest page a client may ask for. */
	public static final int MAX_SIZE = 100;

	private Paging() {
	}

	/**
	 * @param page the page number, from 0
	 * @param size the page size, 1 to {@value #MAX_SIZE}
	 * @param sort the {@code sort} parameters ({@code field} or {@code field,desc}), or
	 * null
	 * @param sortable the fields that may be sorted by
	 * @param defaultSort the order when {@code sort} names none
	 * @return the page request
	 * @throws InvalidParameterException naming the parameter at fault
	 */
	public static Pageable of(int page, int size, List<String> sort, Set<String> sortable, Sort defaultSort) {
		if (page < 0) {
			throw new InvalidParameterException("page", "must be 0 or more");
		}
		if (size < 1 || size > MAX_SIZE) {
			throw new InvalidParameterException("size", "must be between 1 and " + MAX_SIZE);
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
						throw new InvalidParameterException("sort", "must name a field before its direction");
					}
					Sort.Order last = orders.remove(orders.size() - 1);
					orders.add(lower.equals("desc") ? last.with(Sort.Direction.DESC) : last.with(Sort.Direction.ASC));
				}
				else if (!sortable.contains(value)) {
					throw new InvalidParameterException("sort",
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

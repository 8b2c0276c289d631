package dev.bugtracker.bugs.bug;

import java.time.Clock;
import java.time.temporal.ChronoUnit;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reports and finds bugs.
 */
@Service
public class BugService {

	private final Bugs bugs;

	private final Clock clock;

	BugService(Bugs bugs) {
		this.bugs = bugs;
		this.clock = Clock.systemUTC();
	}

	@Transactional
	public Bug report(String title) {
		return this.bugs.save(Bug.report(title.strip(), this.clock.instant().truncatedTo(ChronoUnit.MICROS)));
	}

	@Transactional(readOnly = true)
	public Bug get(long id) {
		return this.bugs.findById(id).orElseThrow(() -> new BugNotFoundException(id));
	}

	@Transactional(readOnly = true)
	public Page<Bug> list(Pageable pageable) {
		return this.bugs.findAll(pageable);
	}

}

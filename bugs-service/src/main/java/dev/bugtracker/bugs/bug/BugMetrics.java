package dev.bugtracker.bugs.bug;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The business metrics of bugs: reported, resolved, reopened, and how long they took to
 * resolve. Counted when the change commits, so a rolled-back change counts nothing. Each
 * instance counts its own changes; sum them over instances
 * ({@code sum(rate(bugtracker_bugs_reported_total[5m]))}).
 */
@Component
class BugMetrics {

	private final MeterRegistry meters;

	private final Counter reopened;

	private final Timer timeToResolve;

	BugMetrics(MeterRegistry meters) {
		this.meters = meters;
		this.reopened = Counter.builder("bugtracker.bugs.reopened")
			.description("Resolved or closed bugs reopened")
			.register(meters);
		// Buckets on the scale people resolve bugs at; a percentile histogram would
		// spend its buckets on milliseconds.
		this.timeToResolve = Timer.builder("bugtracker.bugs.time.to.resolve")
			.description("From report to resolution (RESOLVED, or CLOSED with a resolution)")
			.serviceLevelObjectives(Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(8),
					Duration.ofDays(1), Duration.ofDays(3), Duration.ofDays(7), Duration.ofDays(30),
					Duration.ofDays(90))
			.register(meters);
	}

	/** A bug was reported (counted when the transaction commits). */
	void reported(Bug bug) {
		afterCommit(() -> Counter.builder("bugtracker.bugs.reported")
			.description("Bugs reported, by severity")
			.tag("severity", String.valueOf(bug.getSeverity()))
			.register(this.meters)
			.increment());
	}

	/**
	 * A bug moved in its workflow (counted when the transaction commits).
	 * @param from the status before the move
	 * @param bug the bug after it
	 */
	void moved(Status from, Bug bug) {
		boolean resolvedNow = !resolved(from) && resolved(bug.getStatus());
		if (resolvedNow && bug.getResolvedAt() != null) {
			Duration took = Duration.between(bug.getCreatedAt(), bug.getResolvedAt());
			String resolution = String.valueOf(bug.getResolution());
			afterCommit(() -> {
				Counter.builder("bugtracker.bugs.resolved")
					.description("Bugs resolved, by resolution")
					.tag("resolution", resolution)
					.register(this.meters)
					.increment();
				this.timeToResolve.record(took);
			});
		}
		else if (bug.getStatus() == Status.REOPENED) {
			afterCommit(this.reopened::increment);
		}
	}

	private static boolean resolved(Status status) {
		return status == Status.RESOLVED || status == Status.CLOSED;
	}

	private static void afterCommit(Runnable count) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			count.run();
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				count.run();
			}
		});
	}

}

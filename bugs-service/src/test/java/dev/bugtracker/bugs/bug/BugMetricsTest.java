package dev.bugtracker.bugs.bug;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.bugtracker.platform.test.EmbeddedPostgresTestConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.BDDMockito.given;

/**
 * The business metrics, counted from real changes on PostgreSQL: what commits counts,
 * what is refused counts nothing, and concurrent reports are all counted.
 */
@SpringBootTest(properties = { "eureka.client.enabled=false", "bugtracker.outbox.poll-interval=1h" })
@Import(EmbeddedPostgresTestConfiguration.class)
class BugMetricsTest {

	@Autowired
	private BugService bugs;

	@Autowired
	private MeterRegistry meters;

	@MockitoBean
	private UserDirectory users;

	@BeforeEach
	void knowEveryone() {
		given(this.users.find(anyLong())).willAnswer((call) -> contact(call.getArgument(0)));
		given(this.users.known(anyLong())).willAnswer((call) -> contact(call.getArgument(0)));
	}

	@Test
	void countsResolutionsReopeningsAndTimeToResolve() {
		Bug bug = this.bugs.report(new NewBug("Counted", null, null, Severity.CRITICAL, 1L, null, Set.of()));
		double fixed = count("bugtracker.bugs.resolved", "resolution", "FIXED");
		double wontFix = count("bugtracker.bugs.resolved", "resolution", "WONT_FIX");
		double reopened = count("bugtracker.bugs.reopened", null, null);
		long resolveTimes = this.meters.get("bugtracker.bugs.time.to.resolve").timer().count();

		Actor reporter = Actor.user(1L);
		this.bugs.transition(bug.getId(), Status.IN_PROGRESS, null, null, reporter);
		this.bugs.transition(bug.getId(), Status.RESOLVED, Resolution.FIXED, null, reporter);
		// Closing a resolved bug resolves nothing more.
		this.bugs.transition(bug.getId(), Status.CLOSED, null, null, reporter);
		this.bugs.transition(bug.getId(), Status.REOPENED, null, null, reporter);
		this.bugs.transition(bug.getId(), Status.CLOSED, Resolution.WONT_FIX, null, reporter);

		assertThat(count("bugtracker.bugs.resolved", "resolution", "FIXED")).isEqualTo(fixed + 1);
		assertThat(count("bugtracker.bugs.resolved", "resolution", "WONT_FIX")).isEqualTo(wontFix + 1);
		assertThat(count("bugtracker.bugs.reopened", null, null)).isEqualTo(reopened + 1);
		assertThat(this.meters.get("bugtracker.bugs.time.to.resolve").timer().count()).isEqualTo(resolveTimes + 2);
	}

	@Test
	void aRefusedMoveCountsNothing() {
		Bug bug = this.bugs.report(new NewBug("Refused", null, null, null, 1L, null, Set.of()));
		double resolved = count("bugtracker.bugs.resolved", "resolution", "FIXED");

		// OPEN cannot go straight to RESOLVED: refused inside the transaction.
		assertThatExceptionOfType(InvalidTransitionException.class).isThrownBy(
				() -> this.bugs.transition(bug.getId(), Status.RESOLVED, Resolution.FIXED, null, Actor.user(1L)));

		assertThat(count("bugtracker.bugs.resolved", "resolution", "FIXED")).isEqualTo(resolved);
	}

	@Test
	void concurrentReportsAreAllCountedBySeverity() throws Exception {
		double before = count("bugtracker.bugs.reported", "severity", "BLOCKER");
		ExecutorService clients = Executors.newFixedThreadPool(16);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> reports = new ArrayList<>();
		try {
			for (int i = 0; i < 32; i++) {
				reports.add(clients.submit(() -> {
					start.await();
					return this.bugs.report(new NewBug("Many", null, null, Severity.BLOCKER, 1L, null, Set.of()));
				}));
			}
			start.countDown();
			for (Future<?> report : reports) {
				report.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			clients.shutdownNow();
		}
		assertThat(count("bugtracker.bugs.reported", "severity", "BLOCKER")).isEqualTo(before + 32);
	}

	private double count(String name, String tag, String value) {
		Search search = this.meters.find(name);
		if (tag != null) {
			search = search.tag(tag, value);
		}
		return (search.counter() != null) ? search.counter().count() : 0;
	}

	private static Optional<UserDirectory.UserContact> contact(long id) {
		return Optional.of(new UserDirectory.UserContact(id, "user" + id + "@example.com", null));
	}

}

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
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.data.domain.PageRequest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.BDDMockito.given;

/**
 * Concurrent changes of one bug without {@code If-Match}, on PostgreSQL: each applies to
 * the bug as it is when its turn comes, and none fails on the version another one just
 * stepped (the soak benchmark found concurrent comments answered 412).
 */
@SpringBootTest(properties = { "eureka.client.enabled=false", "bugtracker.outbox.poll-interval=1h" })
@Import(EmbeddedPostgresTestConfiguration.class)
class ConcurrentChangesTest {

	@Autowired
	private BugService bugs;

	@MockitoBean
	private UserDirectory users;

	@Test
	void concurrentCommentsAndMovesOfOneBugAllSucceed() throws Exception {
		given(this.users.find(anyLong())).willAnswer((call) -> contact(call.getArgument(0)));
		given(this.users.known(anyLong())).willAnswer((call) -> contact(call.getArgument(0)));
		Bug bug = this.bugs.report(new NewBug("Raced", null, null, null, 1L, null, Set.of()));
		ExecutorService clients = Executors.newFixedThreadPool(16);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> changes = new ArrayList<>();
		try {
			for (int i = 0; i < 16; i++) {
				long user = 2 + i;
				boolean comment = i % 2 == 0;
				changes.add(clients.submit(() -> {
					start.await();
					if (comment) {
						this.bugs.comment(bug.getId(), Actor.user(user), "Seen it too");
					}
					else {
						this.bugs.watch(bug.getId(), user, true, Actor.user(user));
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> change : changes) {
				change.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			clients.shutdownNow();
		}
		Bug after = this.bugs.get(bug.getId());
		assertThat(this.bugs.comments(bug.getId(), PageRequest.of(0, 100)).getTotalElements()).isEqualTo(8);
		assertThat(after.getWatchers()).hasSize(8);
		assertThat(after.getVersion()).as("every change stepped the version once").isEqualTo(bug.getVersion() + 16);
	}

	private static Optional<UserDirectory.UserContact> contact(long id) {
		return Optional.of(new UserDirectory.UserContact(id, "user" + id + "@example.com", null));
	}

}

package dev.bugtracker.bugs.bug;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import dev.bugtracker.platform.test.EmbeddedPostgresTestConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Bugs, history and search on real PostgreSQL with the service's migrations, including
 * the full-text index.
 */
@JdbcTest(properties = { "spring.config.import=",
		"spring.flyway.locations=classpath:db/migration,classpath:db/migration-{vendor}" })
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Import({ EmbeddedPostgresTestConfiguration.class, BugStore.class, BugSearch.class, HistoryStore.class })
class BugStorePostgresTest {

	private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);

	@Autowired
	private BugStore store;

	@Autowired
	private BugSearch search;

	@Autowired
	private JdbcClient jdbc;

	@Test
	void storesABugWithLabelsAndWatchersAndStepsItsVersion() {
		Bug bug = save("Crash on save", "Stack trace attached", 1L, 2L, Set.of("crash", "editor"));
		bug.watch(3, NOW);
		this.store.update(bug, 0);

		Bug read = this.store.find(bug.getId()).orElseThrow();
		assertThat(read.getLabels()).containsExactly("crash", "editor");
		assertThat(read.getWatchers()).containsExactly(3L);
		assertThat(read.getVersion()).isEqualTo(1);
		assertThat(read.getCreatedAt()).isEqualTo(NOW);
	}

	@Test
	void refusesAnUpdateBasedOnAStaleVersion() {
		Bug bug = save("Stale", null, 1L, null, Set.of());
		Bug first = this.store.find(bug.getId()).orElseThrow();
		Bug second = this.store.find(bug.getId()).orElseThrow();
		first.edit(new BugEdit("First", null, null, null, null), NOW);
		this.store.update(first, 0);

		second.edit(new BugEdit("Second", null, null, null, null), NOW);
		assertThatExceptionOfType(StaleBugException.class).isThrownBy(() -> this.store.update(second, 0));
	}

	@Test
	void searchesByEveryCriterionAndByText() {
		String unique = "zq" + System.nanoTime();
		Bug a = save("Login button does nothing " + unique, "Firefox only", 10L, 20L, Set.of("ui", unique));
		Bug b = save("Crash when saving " + unique, "The editor crashes on save", 10L, null, Set.of(unique));
		b.moveTo(Status.IN_PROGRESS, null, null, NOW);
		this.store.update(b, 0);

		assertThat(ids(query(null, 20L, false, null, unique, null))).containsExactly(a.getId());
		assertThat(ids(query(null, null, true, null, unique, null))).containsExactly(b.getId());
		assertThat(ids(query(Set.of(Status.IN_PROGRESS), null, false, null, unique, null))).containsExactly(b.getId());
		assertThat(ids(query(null, null, false, 10L, unique, null))).containsExactlyInAnyOrder(a.getId(), b.getId());
		assertThat(ids(query(null, null, false, null, null, "crashes " + unique))).containsExactly(b.getId());
		assertThat(ids(query(null, null, false, null, null, "firefox " + unique))).containsExactly(a.getId());
	}

	@Test
	void sortsByPriorityRankNotByName() {
		String unique = "prio" + System.nanoTime();
		Bug low = save("low " + unique, null, null, null, Set.of(unique));
		low.edit(new BugEdit(null, null, Priority.LOW, null, null), NOW);
		this.store.update(low, 0);
		Bug highest = save("highest " + unique, null, null, null, Set.of(unique));
		highest.edit(new BugEdit(null, null, Priority.HIGHEST, null, null), NOW);
		this.store.update(highest, 0);
		Bug medium = save("medium " + unique, null, null, null, Set.of(unique));

		Page<Bug> page = this.search.search(new BugQuery(null, null, false, null, unique, null, null, null),
				PageRequest.of(0, 10, Sort.by(Sort.Direction.DESC, "priority")));

		assertThat(ids(page)).containsExactly(highest.getId(), medium.getId(), low.getId());
		assertThat(page.getTotalElements()).isEqualTo(3);
	}

	@Test
	void textSearchAndFiltersUseTheirIndexes() {
		this.jdbc.sql("set enable_seqscan = off").update();
		assertThat(plan("select id from bug b where b.search @@ websearch_to_tsquery('english', 'crash')"))
			.contains("bug_search_idx");
		assertThat(plan("select id from bug b where b.status = 'OPEN' order by b.updated_at desc limit 20"))
			.contains("bug_status_updated_idx");
		assertThat(plan("select id from bug b where b.assignee_id = 7 order by b.updated_at desc limit 20"))
			.contains("bug_assignee_updated_idx");
		assertThat(plan("select bug_id from bug_label where label = 'ui'")).contains("bug_label_label_idx");
	}

	@Test
	void historyIsListedOldestFirst() {
		Bug bug = save("History", null, 1L, null, Set.of());
		HistoryStore history = new HistoryStore(this.jdbc);
		history.append(bug.getId(), 1L, NOW, "CREATED", new Change("title", null, "History"));
		history.append(bug.getId(), 2L, NOW.plusSeconds(1), "UPDATED",
				List.of(new Change("title", "History", "New"), new Change("priority", "MEDIUM", "HIGH")));

		assertThat(history.list(bug.getId(), PageRequest.of(0, 10)).getContent()).extracting(HistoryEntry::action)
			.containsExactly("CREATED", "UPDATED", "UPDATED");
	}

	private String plan(String sql) {
		return String.join("\n", this.jdbc.sql("explain " + sql).query(String.class).list());
	}

	private BugQuery query(Set<Status> statuses, Long assignee, boolean unassigned, Long reporter, String label,
			String text) {
		return new BugQuery(statuses, assignee, unassigned, reporter, label, null, null, text);
	}

	private List<Long> ids(BugQuery query) {
		return ids(this.search.search(query, PageRequest.of(0, 20, Sort.by("id"))));
	}

	private static List<Long> ids(Page<Bug> page) {
		return page.getContent().stream().map(Bug::getId).toList();
	}

	private Bug save(String title, String description, Long reporter, Long assignee, Set<String> labels) {
		Bug bug = Bug.report(new NewBug(title, description, null, null, reporter, assignee, labels), NOW);
		this.store.insert(bug);
		return bug;
	}

}

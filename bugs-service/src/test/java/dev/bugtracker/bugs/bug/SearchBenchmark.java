package dev.bugtracker.bugs.bug;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.bugtracker.platform.test.EmbeddedPostgresTestConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Search latency on 100,000 bugs in real PostgreSQL, at the database layer (the
 * repository, including the count and the labels of the page) and through the HTTP
 * endpoint. Not part of the build: run {@code scripts/bench-search.sh}, which writes the
 * results to {@code bugs-service/target/search-benchmark.md}.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "eureka.client.enabled=false", "logging.level.root=WARN" })
@Import(EmbeddedPostgresTestConfiguration.class)
class SearchBenchmark {

	private static final int BUGS = Integer.getInteger("bench.bugs", 100_000);

	private static final int ITERATIONS = Integer.getInteger("bench.iterations", 1_000);

	private static final String[] WORDS = ("login button crash save editor firefox chrome safari page slow timeout error "
			+ "null pointer upload download image profile settings password email export import report chart table "
			+ "filter search sort column mobile layout font color dark mode menu dialog modal scroll keyboard")
		.split(" ");

	private static final String[] LABELS = { "ui", "backend", "api", "security", "performance", "docs", "mobile",
			"regression", "good-first-issue", "needs-triage", "database", "auth", "i18n", "accessibility", "build" };

	@Autowired
	private BugSearch search;

	@Autowired
	private JdbcTemplate jdbc;

	@Value("${local.server.port}")
	private int port;

	@Test
	void measureSearchLatency() throws Exception {
		long loadStart = System.nanoTime();
		load();
		long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;

		Map<String, Query> queries = new LinkedHashMap<>();
		queries.put("status=OPEN, newest first",
				new Query(new BugQuery(Set.of(Status.OPEN), null, false, null, null, null, null, null),
						sort("updatedAt"), "/bugs?status=OPEN&size=20"));
		queries.put("assignee + status IN (OPEN, IN_PROGRESS)",
				new Query(
						new BugQuery(Set.of(Status.OPEN, Status.IN_PROGRESS), 42L, false, null, null, null, null, null),
						sort("updatedAt"), "/bugs?assignee=42&status=OPEN&status=IN_PROGRESS&size=20"));
		queries.put("label=security, by priority",
				new Query(new BugQuery(null, null, false, null, "security", null, null, null), sort("priority"),
						"/bugs?label=security&sort=priority,desc&size=20"));
		queries.put("unassigned BLOCKERs",
				new Query(new BugQuery(null, null, true, null, null, null, Severity.BLOCKER, null), sort("updatedAt"),
						"/bugs?assignee=none&severity=BLOCKER&size=20"));
		queries.put("q=\"firefox crash\"",
				new Query(new BugQuery(null, null, false, null, null, null, null, "firefox crash"), sort("updatedAt"),
						"/bugs?q=firefox%20crash&size=20"));
		queries.put("q=timeout + status=OPEN + priority=HIGH",
				new Query(new BugQuery(Set.of(Status.OPEN), null, false, null, null, Priority.HIGH, null, "timeout"),
						sort("updatedAt"), "/bugs?q=timeout&status=OPEN&priority=HIGH&size=20"));

		StringBuilder report = new StringBuilder();
		report.append("Loaded ")
			.append(BUGS)
			.append(" bugs with ")
			.append(this.jdbc.queryForObject("select count(*) from bug_label", Long.class))
			.append(" labels, ")
			.append(this.jdbc.queryForObject("select count(*) from bug_label where label = 'security'", Long.class))
			.append(" of them 'security', in ")
			.append(loadMillis)
			.append(" ms; ")
			.append(ITERATIONS)
			.append(" measured runs per query after ")
			.append(ITERATIONS / 5)
			.append(" warm-up runs, first page of 20.\n\n");
		report.append("| query | matches | DB p50 | DB p99 | HTTP p50 | HTTP p99 |\n|---|---|---|---|---|---|\n");
		HttpClient http = HttpClient.newHttpClient();
		for (Map.Entry<String, Query> entry : queries.entrySet()) {
			Query query = entry.getValue();
			long matches = this.search.search(query.query(), query.page()).getTotalElements();
			double[] db = measure(() -> this.search.search(query.query(), query.page()));
			double[] web = measure(() -> {
				HttpResponse<String> response = http.send(
						HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + query.path())).build(),
						HttpResponse.BodyHandlers.ofString());
				assertThat(response.statusCode()).as(query.path() + " -> " + response.body()).isEqualTo(200);
			});
			report.append("| ")
				.append(entry.getKey())
				.append(" | ")
				.append(matches)
				.append(" | ")
				.append(ms(db[0]))
				.append(" | ")
				.append(ms(db[1]))
				.append(" | ")
				.append(ms(web[0]))
				.append(" | ")
				.append(ms(web[1]))
				.append(" |\n");
		}
		report.append("\nJDK ")
			.append(System.getProperty("java.runtime.version"))
			.append(", ")
			.append(Runtime.getRuntime().availableProcessors())
			.append(" cores, PostgreSQL ")
			.append(this.jdbc.queryForObject("show server_version", String.class))
			.append(" (embedded)\n");
		Path out = Path.of("target/search-benchmark.md");
		Files.writeString(out, report.toString());
		System.out.println(report);
	}

	private void load() {
		Random random = new Random(42);
		Instant start = Instant.parse("2025-11-21T00:00:00Z");
		Status[] statuses = Status.values();
		List<Object[]> rows = new ArrayList<>(1_000);
		for (int i = 0; i < BUGS; i++) {
			Instant created = start.plusSeconds(random.nextInt(365 * 24 * 3600));
			Status status = statuses[weighted(random)];
			String title = sentence(random, 4 + random.nextInt(6));
			rows.add(new Object[] { title, sentence(random, 20 + random.nextInt(40)), status.name(),
					(status == Status.RESOLVED || status == Status.CLOSED) ? "FIXED" : null, random.nextInt(5),
					random.nextInt(5), 1 + random.nextInt(2_000),
					random.nextInt(4) == 0 ? null : 1 + random.nextInt(500), Timestamp.from(created),
					Timestamp.from(created.plusSeconds(random.nextInt(30 * 24 * 3600))) });
			if (rows.size() == 1_000) {
				flush(rows);
			}
		}
		flush(rows);
		this.jdbc
			.update("""
					insert into bug_label (bug_id, label)
					select id, (array['ui','backend','api','security','performance','docs','mobile','regression',
					                  'good-first-issue','needs-triage','database','auth','i18n','accessibility','build'])[1 + (id * 7 + n * 5) % 15]
					from bug, generate_series(0, 1) as n where (id * 13 + n) % 4 <> 0
					on conflict do nothing
					""");
		// What autovacuum does on a live database: statistics, and the visibility map for
		// index-only scans.
		this.jdbc.execute("vacuum analyze");
		assertThat(LABELS).hasSize(15);
	}

	private void flush(List<Object[]> rows) {
		this.jdbc.batchUpdate("""
				insert into bug (title, description, status, resolution, priority, severity, reporter_id, assignee_id,
				                 created_at, updated_at, version)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
				""", rows);
		rows.clear();
	}

	/** Most bugs are closed; a good part is open or in progress. */
	private static int weighted(Random random) {
		int n = random.nextInt(100);
		return (n < 25) ? 0 : (n < 35) ? 1 : (n < 50) ? 2 : (n < 95) ? 3 : 4;
	}

	/**
	 * Real text has a long tail: a third of the words come from the common list above,
	 * the rest from 5,000 rarer ones, so a word like "firefox" matches a few percent of
	 * bugs, not most of them.
	 */
	private static String sentence(Random random, int words) {
		String[] picked = new String[words];
		for (int i = 0; i < words; i++) {
			picked[i] = (random.nextInt(3) == 0) ? WORDS[random.nextInt(WORDS.length)] : "term" + random.nextInt(5_000);
		}
		return String.join(" ", picked);
	}

	private static Pageable sort(String field) {
		return PageRequest.of(0, 20, Sort.by(Sort.Direction.DESC, field));
	}

	private static double[] measure(Action action) throws Exception {
		for (int i = 0; i < ITERATIONS / 5; i++) {
			action.run();
		}
		long[] nanos = new long[ITERATIONS];
		for (int i = 0; i < ITERATIONS; i++) {
			long begin = System.nanoTime();
			action.run();
			nanos[i] = System.nanoTime() - begin;
		}
		Arrays.sort(nanos);
		return new double[] { nanos[ITERATIONS / 2] / 1e6, nanos[(int) Math.ceil(ITERATIONS * 0.99) - 1] / 1e6 };
	}

	private static String ms(double millis) {
		return String.format("%.2f ms", millis);
	}

	private record Query(BugQuery query, Pageable page, String path) {
	}

	@FunctionalInterface
	private interface Action {

		void run() throws Exception;

	}

}

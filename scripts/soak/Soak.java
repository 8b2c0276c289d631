import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak benchmark's traffic (scripts/soak.sh runs it): a steady, open-loop rate of mixed
 * requests through the gateway, for a number of minutes, with a line of figures per minute:
 * requests, errors, p50 and p99 latency. Every write carries an Idempotency-Key, as a
 * careful client's would; every change is made with the personal access token of one of 20
 * users who sign up first (the gateway exchanges it for an access token). A request is an
 * error unless it gets a 2xx answer. Single-file source: java scripts/soak/Soak.java
 * GATEWAY RATE MINUTES.
 */
public class Soak {

	private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

	private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

	/** Who acts: users with a password and a personal access token. */
	private static final List<Person> people = new CopyOnWriteArrayList<>();

	private static final List<Owned> bugs = new CopyOnWriteArrayList<>();

	private static final Map<Integer, Minute> minutes = new ConcurrentHashMap<>();

	private static final AtomicLong started = new AtomicLong();

	public static void main(String[] args) throws Exception {
		URI gateway = URI.create(args[0]);
		int rate = Integer.parseInt(args[1]);
		int totalMinutes = Integer.parseInt(args[2]);
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.executor(Executors.newFixedThreadPool(16))
			.build();
		for (int i = 0; i < 20; i++) {
			Person person = signUp(http, gateway);
			if (person != null) {
				people.add(person);
				Long bug = created(http.send(keyed(gateway, "POST", "/bugs", bug(), person.bearer()),
						HttpResponse.BodyHandlers.ofString()));
				if (bug != null) {
					bugs.add(new Owned(bug, person));
				}
			}
		}
		if (people.isEmpty() || bugs.isEmpty()) {
			throw new IllegalStateException("Could not create the first users and bugs through " + gateway);
		}
		long start = System.nanoTime();
		started.set(start);
		ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2);
		long periodNanos = 1_000_000_000L / rate;
		ticker.scheduleAtFixedRate(() -> fire(http, gateway), 0, periodNanos, TimeUnit.NANOSECONDS);
		System.out.println("minute requests errors p50_ms p99_ms max_ms");
		for (int minute = 1; minute <= totalMinutes; minute++) {
			long until = start + minute * 60_000_000_000L;
			Thread.sleep(Math.max(0, (until - System.nanoTime()) / 1_000_000));
			// Answers of requests sent in the minute may still arrive: report it a little later.
			int report = minute;
			ticker.schedule(() -> print(report), 20, TimeUnit.SECONDS);
		}
		ticker.shutdown();
		ticker.awaitTermination(60, TimeUnit.SECONDS);
		System.exit(0);
	}

	private static void fire(HttpClient http, URI gateway) {
		int minute = (int) ((System.nanoTime() - started.get()) / 60_000_000_000L) + 1;
		Minute stats = minutes.computeIfAbsent(minute, (m) -> new Minute());
		ThreadLocalRandom random = ThreadLocalRandom.current();
		Owned owned = bugs.get(random.nextInt(bugs.size()));
		long bug = owned.id();
		Person person = people.get(random.nextInt(people.size()));
		int pick = random.nextInt(100);
		HttpRequest request;
		if (pick < 40) {
			request = get(gateway, "/bugs/" + bug);
		}
		else if (pick < 55) {
			request = get(gateway, "/bugs?status=OPEN&size=10&sort=priority,desc");
		}
		else if (pick < 60) {
			request = get(gateway, "/bugs?q=soak&size=10");
		}
		else if (pick < 70) {
			request = keyed(gateway, "POST", "/users", "{\"email\": \"" + email() + "\"}", null);
		}
		else if (pick < 82) {
			request = keyed(gateway, "POST", "/bugs", bug(), person.bearer());
		}
		else if (pick < 94) {
			request = keyed(gateway, "POST", "/bugs/" + bug + "/comments", "{\"body\": \"Still there after a soak.\"}",
					person.bearer());
		}
		else {
			// A new bug moves to IN_PROGRESS and back: both moves are always allowed, to
			// its reporter.
			String to = random.nextBoolean() ? "IN_PROGRESS" : "OPEN";
			request = keyed(gateway, "POST", "/bugs/" + bug + "/transitions", "{\"to\": \"" + to + "\"}",
					owned.reporter().bearer());
		}
		long sent = System.nanoTime();
		http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
			long millis = (System.nanoTime() - sent) / 1_000_000;
			boolean ok = failure == null && response.statusCode() / 100 == 2;
			// Moving a bug to the state it is in is a 409 the workflow answers: not an error.
			if (failure == null && response.statusCode() == 409 && request.uri().getPath().endsWith("/transitions")) {
				ok = true;
			}
			stats.record(millis, ok, ok ? null : (failure != null ? failure.toString()
					: response.statusCode() + " " + request.method() + " " + request.uri().getPath()));
			if (failure == null && response.statusCode() == 201) {
				Long id = created(response);
				if (id != null && request.uri().getPath().equals("/bugs") && bugs.size() < 5000) {
					bugs.add(new Owned(id, person));
				}
			}
		});
	}

	private static void print(int minute) {
		Minute stats = minutes.getOrDefault(minute, new Minute());
		List<Long> latencies = new ArrayList<>(stats.latencies);
		Collections.sort(latencies);
		System.out.printf("%d %d %d %d %d %d%n", minute, latencies.size(), stats.errors.size(), percentile(latencies, 50),
				percentile(latencies, 99), latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1));
		stats.errors.stream().limit(5).forEach((error) -> System.out.println("#   error: " + error));
	}

	private static long percentile(List<Long> sorted, int percent) {
		if (sorted.isEmpty()) {
			return 0;
		}
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
	}

	private static HttpRequest get(URI gateway, String path) {
		return HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build();
	}

	private static HttpRequest keyed(URI gateway, String method, String path, String body, String authorization) {
		HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.method(method, HttpRequest.BodyPublishers.ofString(body));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return request.build();
	}

	private static String email() {
		return "soak-" + UUID.randomUUID() + "@example.com";
	}

	private static String bug() {
		return "{\"title\": \"Soak bug " + UUID.randomUUID() + "\", \"description\": \"Found while soaking\"}";
	}

	/** A user with a password, who then makes a personal access token with it. */
	private static Person signUp(HttpClient http, URI gateway) throws Exception {
		String email = email();
		String password = "soak password " + UUID.randomUUID();
		Long id = created(http.send(keyed(gateway, "POST", "/users",
				"{\"email\": \"" + email + "\", \"password\": \"" + password + "\"}", null),
				HttpResponse.BodyHandlers.ofString()));
		if (id == null) {
			return null;
		}
		String basic = "Basic " + java.util.Base64.getEncoder()
			.encodeToString((email + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
		HttpResponse<String> token = http.send(keyed(gateway, "POST", "/auth/tokens",
				"{\"name\": \"soak\", \"scopes\": [\"bugs:read\", \"bugs:write\"], \"expiresInDays\": 1}", basic),
				HttpResponse.BodyHandlers.ofString());
		Matcher value = TOKEN.matcher(token.body());
		return value.find() ? new Person(id, "Bearer " + value.group(1)) : null;
	}

	private record Person(long id, String bearer) {
	}

	private record Owned(long id, Person reporter) {
	}

	private static Long created(HttpResponse<String> response) {
		if (response.statusCode() != 201) {
			return null;
		}
		Matcher id = ID.matcher(response.body());
		return id.find() ? Long.valueOf(id.group(1)) : null;
	}

	private static final class Minute {

		final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());

		final List<String> errors = new CopyOnWriteArrayList<>();

		void record(long millis, boolean ok, String error) {
			this.latencies.add(millis);
			if (!ok) {
				this.errors.add(error);
			}
		}

	}

}

package dev.bugtracker.systemtests;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.jayway.jsonpath.JsonPath;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * docker-compose.yml for real: the engine and the images made by the project's scripts,
 * the whole system up in containers, the tutorial through the containerised gateway, the
 * email in the mail catcher, the Eureka listing, data that survives {@code down} and
 * {@code up}, a second users-service instance, and releases under concurrent load through
 * scripts/release.sh: a rolling upgrade, a canary share, a blue-green switch, and the
 * repair of a release left half-way, with zero failed requests. Needs a Docker engine
 * (scripts/containers.sh starts or installs one as root); without one the test is
 * skipped, unless {@code BUGTRACKER_CONTAINER_TESTS=required} (as in CI) makes that a
 * failure. Runs in a failsafe execution of its own (tag {@code compose-stack}), after the
 * process stack of the other system tests has stopped: the two stacks together starve a
 * 2-core machine.
 */
@Tag("compose-stack")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeIT {

	private static final Duration MINUTES_5 = Duration.ofMinutes(5);

	/**
	 * A bound for a release.sh command that starts instances, above the script's own
	 * waits (each start up to HEALTH_TIMEOUT, 360 s, then up to 90 s until the gateway
	 * routes to it): when a start is too slow, the script's message, which says which
	 * container, after how long and at what load, is the one the test reports.
	 */
	private static final Duration RELEASE_BOUND = Duration.ofMinutes(20);

	/**
	 * Above the image's health check start period (300 s): a slow start is not a failure.
	 */
	private static final Duration HEALTHY_BOUND = Duration.ofMinutes(7);

	private ComposeStack stack;

	private int userId;

	private int bugId;

	/** The base images scripts/containers.sh made, by variable (JRE_IMAGE, ...). */
	private Map<String, String> baseImages;

	@BeforeAll
	void start() throws Exception {
		Path root = Path.of(System.getProperty("bugtracker.root", "..")).toAbsolutePath().normalize();
		Path workdir = Path.of(System.getProperty("bugtracker.workdir", "target/stack")).resolve("compose");
		ComposeStack probe = new ComposeStack(root, workdir, Map.of());
		try {
			probe.run(Duration.ofMinutes(10), "scripts/containers.sh", "base");
		}
		catch (AssertionError ex) {
			boolean required = "required".equals(System.getenv("BUGTRACKER_CONTAINER_TESTS"));
			if (required) {
				throw ex;
			}
			Assumptions.abort("no Docker engine here (BUGTRACKER_CONTAINER_TESTS=required makes this a failure): "
					+ ex.getMessage());
		}
		Map<String, String> images = new LinkedHashMap<>();
		probe.capture(Duration.ofSeconds(30), "scripts/containers.sh", "env").lines().forEach((line) -> {
			if (line.startsWith("export ") && line.contains("_IMAGE=")) {
				String pair = line.substring("export ".length());
				images.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
			}
		});
		this.baseImages = images;
		this.stack = new ComposeStack(root, workdir, images);
		buildImages(List.of());
		// Leftovers of an earlier run that was killed.
		this.stack.close();
		long start = System.nanoTime();
		this.stack.compose(MINUTES_5, "up", "-d");
		this.stack.awaitHealthy(HEALTHY_BOUND);
		this.stack.awaitRouted(Duration.ofSeconds(60));
		System.out.printf("compose stack healthy and routed %d s after up -d%n",
				Duration.ofNanos(System.nanoTime() - start).toSeconds());
		// The user and the bug that the tests read: here, so that every test runs alone
		// too.
		this.userId = JsonPath
			.read(created("/users/create", "{\"email\": \"reader-" + System.nanoTime() + "@example.com\"}"), "$.id");
		this.bugId = JsonPath.read(created("/bugs/create", "{\"bug\": \"Read under load\"}"), "$.id");
	}

	private String created(String path, String json) {
		HttpResponse<String> created = this.stack.send(HttpRequest.newBuilder(this.stack.gateway(path))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(json)));
		assertThat(created.statusCode()).as("POST %s: %s", path, created.body()).isEqualTo(201);
		return created.body();
	}

	@AfterAll
	void stop() {
		if (this.stack == null) {
			return;
		}
		this.stack.printStartTimes();
		this.stack.close();
		String volumes = this.stack.capture(Duration.ofSeconds(30), "docker", "volume", "ls", "-q", "--filter",
				"label=com.docker.compose.project=" + ComposeStack.PROJECT);
		assertThat(volumes.trim()).as("volumes left by down -v").isEmpty();
	}

	@Test
	@Order(1)
	void theTutorialWorksThroughTheContainerisedGatewayAndTheEmailArrives() {
		String email = "someone-" + System.nanoTime() + "@example.com";
		// Exactly what curl -XPOST -d sends: a form-encoded content type.
		HttpResponse<String> user = this.stack.send(HttpRequest.newBuilder(this.stack.gateway("/users/create"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(BodyPublishers.ofString("{\"email\": \"" + email + "\"}")));
		assertThat(user.statusCode()).as(user.body()).isEqualTo(201);
		HttpResponse<String> bug = this.stack.send(HttpRequest.newBuilder(this.stack.gateway("/bugs/create"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(BodyPublishers.ofString("{\"bug\": \"Login button does nothing\"}")));
		assertThat(bug.statusCode()).as(bug.body()).isEqualTo(201);

		Awaitility.await("the welcome email in MailDev")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> {
				HttpResponse<String> mails = this.stack.get(this.stack.mailPort, "/email");
				List<String> recipients = JsonPath.read(mails.body(), "$[*].to[*].address");
				return recipients.contains(email);
			});
		HttpResponse<String> mails = this.stack.get(this.stack.mailPort, "/email");
		List<String> subjects = JsonPath.read(mails.body(), "$[?(@.to[0].address == '" + email + "')].subject");
		assertThat(subjects).containsExactly("Welcome to Bugtracker");
	}

	@Test
	@Order(2)
	void theEurekaDashboardListsEveryService() {
		java.net.URI registry = java.net.URI.create("http://127.0.0.1:" + this.stack.registryPort + "/");
		// The docker profile's registry takes its credentials only.
		assertThat(this.stack.get(this.stack.registryPort, "/eureka/apps").statusCode()).isEqualTo(401);
		HttpResponse<String> apps = this.stack.send(HttpRequest.newBuilder(registry.resolve("/eureka/apps"))
			.header("Accept", "application/json")
			.header("Authorization", this.stack.registryAuthorization));
		List<String> names = JsonPath.read(apps.body(), "$.applications.application[*].name");
		assertThat(names).containsAll(Stack.APPLICATIONS);
		HttpResponse<String> dashboard = this.stack
			.send(HttpRequest.newBuilder(registry).header("Authorization", this.stack.registryAuthorization));
		assertThat(dashboard.body()).contains(Stack.APPLICATIONS);
		// Every instance's actuator is on the management port, which Eureka tells
		// scrapers.
		List<String> managementPorts = JsonPath.read(apps.body(),
				"$.applications.application[*].instance[*].metadata['management.port']");
		assertThat(managementPorts).hasSize(Stack.APPLICATIONS.size())
			.containsOnly(String.valueOf(ComposeStack.MANAGEMENT_PORT));
		// ... and not on the public one.
		String container = this.stack.containers("users-service").get(0);
		assertThat(this.stack.insideGet(container, 8800, "/actuator/prometheus")).startsWith("HTTP/1.1 404");
		assertThat(this.stack.insideGet(container, ComposeStack.MANAGEMENT_PORT, "/actuator/prometheus"))
			.startsWith("HTTP/1.1 200")
			.contains("http_server_requests_seconds_count");
	}

	/**
	 * A compromised container holds the services' registry password, and registers a
	 * users-service of its own that serves signing keys of its own. The registry takes it
	 * and the gateway routes people's reads to it (the password is the services' only
	 * credential: docs/operations.md), but bugs-service fetches the keys it trusts, and
	 * sends its client secret, to users-service's compose name
	 * ({@code AUTHORIZATION_SERVER_URL}) only: each token the rogue signs names a key not
	 * seen yet, which makes bugs-service fetch the keys again at once, and each is
	 * refused, and no fetch reaches the rogue. Then the rogue is deregistered, and the
	 * next test starts the stack again.
	 */
	@Test
	@Order(3)
	void aUsersServiceRegisteredWithTheServicesPasswordGetsNoKeyFetchAndItsTokensAreRefused() throws Exception {
		// The host's address on the compose network: the containers reach the rogue
		// there.
		String host = this.stack
			.capture(Duration.ofSeconds(30), "docker", "network", "inspect", ComposeStack.PROJECT + "_default",
					"--format", "{{range .IPAM.Config}}{{.Gateway}}{{end}}")
			.trim();
		RogueUsersService rogue = new RogueUsersService(host, "rogue");
		List<String> received = rogue.received();
		URI registration = URI.create("http://127.0.0.1:" + this.stack.registryPort + "/eureka/apps/USERS-SERVICE");
		try {
			HttpResponse<String> registered = this.stack.send(HttpRequest.newBuilder(registration)
				.header("Content-Type", "application/json")
				.header("Authorization", this.stack.registryAuthorization)
				.POST(BodyPublishers.ofString(rogue.registration(host))));
			assertThat(registered.statusCode()).as("registering with the services' password").isEqualTo(204);
			// Once the gateway routes to it, bugs-service, which fetches the registry as
			// often, has it in its list too, or will within seconds.
			Awaitility.await("the gateway routes a read to the rogue")
				.atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> {
					this.stack.get(this.stack.gatewayPort, "/users/" + this.userId);
					return received.stream().anyMatch((request) -> request.startsWith("GET /users/"));
				});
			String issuer = JsonPath
				.read(this.stack.get(this.stack.gatewayPort, "/.well-known/openid-configuration").body(), "$.issuer");
			for (int i = 0; i < 20; i++) {
				String forged = SecurityMatrixIT.bearer("rogue", rogue.key().getPrivate(), issuer, this.userId,
						List.of("USER", "ADMIN"), List.of("bugs:read", "bugs:write", "users:read", "users:write"),
						Instant.now(), Instant.now().plusSeconds(300));
				HttpResponse<String> bug = this.stack.send(HttpRequest.newBuilder(this.stack.gateway("/bugs"))
					.header("Content-Type", "application/json")
					.header("Authorization", forged)
					.POST(BodyPublishers.ofString("{\"title\": \"Forged by a rogue users-service\"}")));
				assertThat(bug.statusCode()).as("bugs-service, the rogue's token %d: %s", i, bug.body()).isEqualTo(401);
				// Paced, not waiting for a condition: the 20 tokens span 10 s, more than
				// bugs-service's registry fetch and load balancer cache (3 s each) can
				// lag
				// behind the gateway's.
				Thread.sleep(500);
			}
			assertThat(received).as("requests that reached the rogue, other than the gateway's routed reads")
				.allMatch((request) -> request.startsWith("GET /users/"));
		}
		finally {
			this.stack.send(HttpRequest.newBuilder(URI.create(registration + "/" + rogue.instanceId()))
				.header("Authorization", this.stack.registryAuthorization)
				.DELETE());
			rogue.close();
		}
	}

	@Test
	@Order(4)
	void dataSurvivesDownAndUp() {
		this.stack.compose(MINUTES_5, "down", "--timeout", "40");
		this.stack.compose(MINUTES_5, "up", "-d");
		this.stack.awaitHealthy(HEALTHY_BOUND);
		Awaitility.await("the user registered before down")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> this.stack.get(this.stack.gatewayPort, "/users/" + this.userId).statusCode() == 200);
	}

	@Test
	@Order(5)
	void scaledOutInstancesOfUsersAndBugsEachTakeTheirShare() {
		this.stack.compose(MINUTES_5, "up", "-d", "--no-recreate", "--scale", "users-service=2", "--scale",
				"bugs-service=2", "users-service", "bugs-service");
		this.stack.awaitHealthy(HEALTHY_BOUND);
		assertEachInstanceTakesItsShare("users-service", "/users/" + this.userId, "/users/{id}");
		assertEachInstanceTakesItsShare("bugs-service", "/bugs/" + this.bugId, "/bugs/{id}");
		// The releases below are about users-service: one bugs-service is enough.
		this.stack.compose(MINUTES_5, "up", "-d", "--no-recreate", "-t", "40", "--scale", "bugs-service=1",
				"bugs-service");
		assertThat(this.stack.containers("bugs-service")).hasSize(1);
	}

	private void assertEachInstanceTakesItsShare(String service, String path, String uri) {
		assertThat(this.stack.containers(service)).hasSize(2);
		Map<String, Double> before = this.stack.served(service, uri);
		// Until the gateway has seen the new instance, it gets nothing; then about half.
		Awaitility.await("both " + service + " containers answer")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> {
				sendReads(path, 20, 4, null);
				Map<String, Double> after = this.stack.served(service, uri);
				return after.entrySet()
					.stream()
					.allMatch((entry) -> entry.getValue() - before.getOrDefault(entry.getKey(), 0.0) > 0);
			});
		Map<String, Double> start = this.stack.served(service, uri);
		sendReads(path, 200, 8, null);
		Map<String, Double> end = this.stack.served(service, uri);
		for (String container : end.keySet()) {
			assertThat(end.get(container) - start.get(container)).as("requests served by " + container)
				.isGreaterThanOrEqualTo(60);
		}
	}

	@Test
	@Order(6)
	void aRollingUpgradeUnderConcurrentLoadFailsNothing() {
		usersServiceRuns(2, "latest", System.getProperty("bugtracker.version", "0.1.0-SNAPSHOT"));
		buildImage("0.2.0", "rolling");
		Load load = underLoad("rolling upgrade", 16,
				() -> this.stack.run(RELEASE_BOUND, "scripts/release.sh", "rolling", "users-service", "rolling"));
		assertThat(load.succeeded()).as(load.summary()).isGreaterThan(500);
		assertUsersServiceRuns(2, "0.2.0");
	}

	@Test
	@Order(7)
	void aCanaryTakesItsShareAndThePinHeaderAndRollbackWork() {
		usersServiceRuns(2, "rolling", "0.2.0");
		buildImage("0.3.0", "next");
		this.stack.run(RELEASE_BOUND, "scripts/release.sh", "canary", "users-service", "next", "10");
		assertThat(this.stack.containers("users-service")).hasSize(3);

		Map<String, Double> shares = servedByVersion(() -> readUser(1000, 8, null));
		double canary = shares.getOrDefault("0.3.0", 0.0);
		double total = shares.values().stream().mapToDouble(Double::doubleValue).sum();
		System.out.printf("canary share: %.1f %% of %.0f requests (%s)%n", 100 * canary / total, total, shares);
		assertThat(total).isGreaterThanOrEqualTo(1000);
		assertThat(100 * canary / total).isBetween(5.0, 15.0);

		Map<String, Double> pinned = servedByVersion(() -> readUser(50, 4, "always"));
		assertThat(pinned.getOrDefault("0.2.0", 0.0)).isZero();
		assertThat(pinned.get("0.3.0")).isGreaterThanOrEqualTo(50);

		underLoad("canary rollback", 8,
				() -> this.stack.run(Duration.ofMinutes(3), "scripts/release.sh", "rollback", "users-service"));
		assertUsersServiceRuns(2, "0.2.0");
	}

	@Test
	@Order(8)
	void blueGreenSwitchesAtOnceBothWaysAndFailsNothing() {
		usersServiceRuns(2, "rolling", "0.2.0");
		this.stack.run(RELEASE_BOUND, "scripts/release.sh", "green", "users-service", "next");
		assertThat(this.stack.containers("users-service")).hasSize(4);
		assertThat(servedByVersion(() -> readUser(100, 8, null))).as("blue takes everything")
			.doesNotContainKey("0.3.0");
		underLoad("blue-green", 16, () -> {
			this.stack.run(Duration.ofSeconds(60), "scripts/release.sh", "switch", "users-service", "0.3.0");
			awaitRequestsInFlightAnswered("0.2.0");
			assertThat(servedByVersion(() -> readUser(100, 8, null))).as("green takes everything at once")
				.doesNotContainKey("0.2.0");
			this.stack.run(Duration.ofSeconds(60), "scripts/release.sh", "switch", "users-service", "0.2.0");
			awaitRequestsInFlightAnswered("0.3.0");
			assertThat(servedByVersion(() -> readUser(100, 8, null))).as("and back to blue").doesNotContainKey("0.3.0");
			this.stack.run(Duration.ofSeconds(60), "scripts/release.sh", "switch", "users-service", "0.3.0");
			this.stack.run(Duration.ofMinutes(3), "scripts/release.sh", "retire", "users-service", "0.2.0");
		});
		assertUsersServiceRuns(2, "0.3.0");
	}

	@Test
	@Order(9)
	void aReleaseLeftHalfWayIsRefusedWithTheRepairAndResetRepairsItUnderLoad() {
		usersServiceRuns(2, "next", "0.3.0");
		// A canary that nobody promoted or rolled back: two versions run.
		this.stack.run(RELEASE_BOUND, "scripts/release.sh", "canary", "users-service", "rolling", "10");
		assertThat(this.stack.containers("users-service")).hasSize(3);
		assertThatThrownBy(() -> this.stack.capture(Duration.ofMinutes(1), "scripts/release.sh", "rolling",
				"users-service", "next"))
			.as("a rolling upgrade of a service that runs two versions")
			.hasMessageContaining("runs versions 0.2.0 0.3.0")
			.hasMessageContaining("scripts/release.sh status users-service")
			.hasMessageContaining("scripts/release.sh reset users-service");
		assertThat(this.stack.containers("users-service")).as("nothing started or stopped").hasSize(3);

		underLoad("reset", 8, () -> this.stack.run(RELEASE_BOUND, "scripts/release.sh", "reset", "users-service"));
		assertUsersServiceRuns(2, "0.3.0");
		assertThat(this.stack.get(this.stack.adminPort, "/actuator/release/users-service").statusCode())
			.as("the release policy is cleared")
			.isEqualTo(404);
	}

	/**
	 * Runs {@code steps} while {@code clients} clients read and register through the
	 * gateway, and fails if any of their requests failed.
	 */
	private Load underLoad(String what, int clients, Runnable steps) {
		java.time.Instant start = java.time.Instant.now();
		Load load = Load.readsAndKeyedWrites(clients, this.stack.gateway("/"), this.userId);
		try {
			steps.run();
		}
		finally {
			load.close();
		}
		System.out.println(what + ": " + load.summary());
		System.out.print(this.stack.slowAnswers("gateway", "POST") + this.stack.slowAnswers("users-service", "POST")
				+ this.stack.slowAnswers("gateway", "GET") + this.stack.slowAnswers("users-service", "GET"));
		if (!load.failures().isEmpty()) {
			assertThat(load.failures())
				.as("%s: %s; failed: %s%nwarnings of the gateway:%n%s%nof users-service's containers:%n%s", what,
						load.summary(), load.failuresInBrief(), this.stack.warnings("gateway", start),
						this.stack.warnings("users-service", start))
				.isEmpty();
		}
		return load;
	}

	/**
	 * The precondition of a release test: users-service runs {@code instances} instances
	 * of {@code version} and the gateway has no release policy for it, as the test before
	 * leaves it when it passes. When that test failed half-way, this test does not fail
	 * on its leftovers: {@code scripts/release.sh reset} returns the service to that
	 * state (image {@code tag}, which carries {@code version}).
	 */
	private void usersServiceRuns(int instances, String tag, String version) {
		List<String> containers = this.stack.containers("users-service");
		boolean asLeft = containers.size() == instances
				&& containers.stream().allMatch((id) -> version.equals(this.stack.version(id)))
				&& this.stack.get(this.stack.adminPort, "/actuator/release/users-service").statusCode() == 404;
		if (!asLeft) {
			System.out.println("users-service is not as the previous test leaves it (" + instances + " instances of "
					+ version + ", no policy): resetting it");
			this.stack.run(Duration.ofSeconds(60), "scripts/release.sh", "status", "users-service");
			this.stack.run(RELEASE_BOUND, "scripts/release.sh", "reset", "users-service", tag,
					String.valueOf(instances));
		}
		assertUsersServiceRuns(instances, version);
	}

	private void assertUsersServiceRuns(int instances, String version) {
		List<String> containers = this.stack.containers("users-service");
		assertThat(containers).hasSize(instances);
		assertThat(containers).allSatisfy((id) -> assertThat(this.stack.version(id)).isEqualTo(version));
	}

	private void buildImage(String version, String tag) {
		buildImages(List.of("VERSION=" + version, "TAG=" + tag), "users-service");
	}

	/**
	 * scripts/images.sh with the jars of this build as they are (the reactor packaged
	 * them before this test), with extra settings (KEY=value), for the services named
	 * (all when none are).
	 */
	private void buildImages(List<String> settings, String... services) {
		List<String> command = new java.util.ArrayList<>(List.of("env", "JARS=as-is",
				"IMAGE_PREFIX=" + ComposeStack.IMAGE_PREFIX, "JRE_IMAGE=" + this.baseImages.get("JRE_IMAGE")));
		command.addAll(settings);
		command.add("scripts/images.sh");
		command.addAll(List.of(services));
		this.stack.run(Duration.ofMinutes(10), command.toArray(String[]::new));
	}

	/**
	 * Requests to {@code /users/{id}} answered while {@code traffic} ran, by the version
	 * of the users-service container that answered them (each container's own metrics).
	 */
	private Map<String, Double> servedByVersion(Runnable traffic) {
		Map<String, Double> before = this.stack.served("users-service", "/users/{id}");
		traffic.run();
		Map<String, Double> after = this.stack.served("users-service", "/users/{id}");
		Map<String, Double> byVersion = new LinkedHashMap<>();
		after.forEach((container, count) -> {
			double delta = count - before.getOrDefault(container, 0.0);
			if (delta > 0) {
				byVersion.merge(this.stack.version(container), delta, Double::sum);
			}
		});
		return byVersion;
	}

	/**
	 * Waits until the instances of a version that has just lost the traffic have answered
	 * the requests routed to them before the switch: their counts stay the same for a
	 * second while the load goes on. (A switch that did not take keeps them moving, and
	 * this fails.) Requests already on their way finish where they are: that is the
	 * drain, not a leak.
	 */
	private void awaitRequestsInFlightAnswered(String version) {
		AtomicReference<Map<String, Double>> last = new AtomicReference<>(servedBy(version));
		Awaitility.await("the requests on their way to " + version + " answered")
			.atMost(Duration.ofSeconds(20))
			.pollDelay(Duration.ofSeconds(1))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> {
				Map<String, Double> now = servedBy(version);
				return now.equals(last.getAndSet(now));
			});
	}

	private Map<String, Double> servedBy(String version) {
		Map<String, Double> counts = new LinkedHashMap<>();
		this.stack.served("users-service", "/users/{id}").forEach((container, count) -> {
			if (version.equals(this.stack.version(container))) {
				counts.put(container, count);
			}
		});
		return counts;
	}

	private void readUser(int count, int clients, String pin) {
		sendReads("/users/" + this.userId, count, clients, pin);
	}

	/**
	 * {@code count} GETs of {@code path} through the gateway by {@code clients} clients;
	 * all must succeed.
	 */
	private void sendReads(String path, int count, int clients, String pin) {
		AtomicInteger left = new AtomicInteger(count);
		AtomicInteger failed = new AtomicInteger();
		Thread[] threads = new Thread[clients];
		for (int i = 0; i < clients; i++) {
			threads[i] = new Thread(() -> {
				while (left.getAndDecrement() > 0) {
					HttpRequest.Builder request = HttpRequest.newBuilder(this.stack.gateway(path));
					if (pin != null) {
						request.header("X-Canary", pin);
					}
					if (this.stack.send(request).statusCode() != 200) {
						failed.incrementAndGet();
					}
				}
			});
			threads[i].start();
		}
		for (Thread thread : threads) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		assertThat(failed.get()).as("failed reads").isZero();
	}

}

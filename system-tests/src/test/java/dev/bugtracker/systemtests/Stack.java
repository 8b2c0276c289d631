package dev.bugtracker.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The whole system, started from the packaged jars as five separate JVMs on free ports,
 * in a work directory of its own, so it can run beside a local stack. Every process it
 * starts is stopped by {@link #close()}, and by a shutdown hook if the test JVM exits
 * early.
 */
final class Stack implements AutoCloseable {

	static final List<String> APPLICATIONS = List.of("GATEWAY", "USERS-SERVICE", "BUGS-SERVICE", "NOTIFICATOR-SERVICE");

	/**
	 * An admin by configuration ({@code bugtracker.security.admins}); see
	 * {@link #admin()}.
	 */
	static final String ADMIN_EMAIL = "admin@stack.example.com";

	static final String ADMIN_PASSWORD = "the stack admin's password";

	/** The secret of bugs-service's client, random for each run as a deployment's is. */
	static final String CLIENT_SECRET = java.util.UUID.randomUUID().toString();

	/** The key of the Idempotency-Key records' digests, random for each run. */
	static final String IDEMPOTENCY_SECRET = java.util.UUID.randomUUID().toString();

	/**
	 * The key users-service encrypts its token signing keys with (SecurityMatrixIT reads
	 * them).
	 */
	static final String SIGNING_KEYS_SECRET = java.util.UUID.randomUUID().toString();

	/**
	 * The registry's passwords: the services' (they register with it) and the read-only
	 * one (Prometheus, and the tests, read with it). The stack's registry takes
	 * credentials, as in docker and k8s, so that a rogue registration meets what it meets
	 * in production.
	 */
	static final String REGISTRY_PASSWORD = java.util.UUID.randomUUID().toString();

	static final String REGISTRY_READER_PASSWORD = java.util.UUID.randomUUID().toString();

	/**
	 * The address of the one proxy in front of the stack's gateway that it trusts
	 * (TrustedProxyIT's nginx binds its connections to it); the tests' own clients
	 * connect from 127.0.0.1.
	 */
	static final String TRUSTED_PROXY = "127.0.0.9";

	/** The {@code Authorization} header of the registry's read-only credentials. */
	static final String REGISTRY_READER = "Basic " + Base64.getEncoder()
		.encodeToString(("reader:" + REGISTRY_READER_PASSWORD).getBytes(StandardCharsets.UTF_8));

	/**
	 * users-service instances read the signing keys every 5 s (30 s by default), so that
	 * KeyRotationIT can publish a key 15 s ahead.
	 */
	/** The role users-service runs as (its migrations run as the owner, postgres). */
	static final String USERS_RUNTIME_ROLE = "users_app";

	private static final String USERS_KEY_REFRESH = "--bugtracker.security.signing-keys.refresh-interval=5s";

	/**
	 * Every client of the stack comes from 127.0.0.1, and its tests sign up registered
	 * addresses on purpose (sixteen sign-ups of one address, the admin's again and
	 * again): the throttle of such sign-ups per client address (20 by default,
	 * LoginThrottleTest and AccountLifecycleTest show it) would end the suite.
	 */
	private static final String USERS_SIGN_UP_THROTTLE = "--bugtracker.security.login-throttle.refused-sign-ups-per-address.free=100000";

	final int registryPort = freePort();

	final int gatewayPort = freePort();

	/** The gateway's actuator, on a port of its own (configs/gateway.yml). */
	final int gatewayManagementPort = freePort();

	final int usersPort = freePort();

	final int bugsPort = freePort();

	final int notificatorPort = freePort();

	final int notificatorGrpcPort = freePort();

	/** Zipkin, which every service sends its spans to. */
	final int zipkinPort = freePort();

	final Path workdir;

	final ServiceProcess registry;

	final ServiceProcess notificator;

	final ServiceProcess users;

	final ServiceProcess bugs;

	final ServiceProcess gateway;

	final ServiceProcess zipkin;

	private final List<ServiceProcess> all;

	private volatile EmbeddedPostgres postgres;

	private final Path databaseDirectory;

	private final int databasePort = freePort();

	private final List<ServiceProcess> extra = new java.util.concurrent.CopyOnWriteArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

	private final Thread shutdownHook = new Thread(this::stopAll, "system-test-stack-shutdown");

	Stack() throws IOException {
		Path root = Path.of(System.getProperty("bugtracker.root", ".."));
		String version = System.getProperty("bugtracker.version", "0.1.0-SNAPSHOT");
		this.workdir = Path.of(System.getProperty("bugtracker.workdir", "target/stack"))
			.resolve("run-" + System.currentTimeMillis());
		Files.createDirectories(this.workdir);
		// PostgreSQL, as in production: one database per service, shared by all its
		// instances.
		this.databaseDirectory = this.workdir.resolve("postgres");
		this.postgres = startPostgres();
		try (var connection = this.postgres.getPostgresDatabase().getConnection();
				var statement = connection.createStatement()) {
			for (String database : List.of("users", "bugs", "notificator")) {
				statement.execute("create database " + database);
			}
			// users-service runs as a role of its own, as in containers
			// (deployments/postgres/init-databases.sh); its migrations run as the owner.
			statement.execute("create role " + USERS_RUNTIME_ROLE + " login");
			statement.execute("grant connect on database users to " + USERS_RUNTIME_ROLE);
		}
		catch (java.sql.SQLException ex) {
			throw new IOException("Could not create the services' databases", ex);
		}
		Map<String, String> env = environment();
		this.registry = service(root, version, "registry", env, this.registryPort,
				"--bugtracker.registry.credentials-required=true");
		this.notificator = service(root, version, "notificator-service", env, this.notificatorPort,
				"--spring.grpc.server.port=" + this.notificatorGrpcPort, database("notificator"));
		this.users = service(root, version, "users-service", env, this.usersPort,
				// Retry quickly after an outage so the test does not wait out a long
				// backoff.
				Stream
					.concat(Stream.of("--bugtracker.outbox.max-backoff=2s",
							"--bugtracker.security.admins=" + ADMIN_EMAIL, USERS_KEY_REFRESH, USERS_SIGN_UP_THROTTLE),
							usersDatabase().stream())
					.toArray(String[]::new));
		this.bugs = service(root, version, "bugs-service", env, this.bugsPort, database("bugs"));
		this.gateway = service(root, version, "gateway", env, this.gatewayPort,
				"--management.server.port=" + this.gatewayManagementPort,
				// The ingress stand-in of TrustedProxyIT, Debian's nginx, connects from
				// this
				// address: its X-Forwarded-For is believed, nobody else's.
				"--bugtracker.edge.trusted-proxies=" + TRUSTED_PROXY);
		Path zipkinJar = Path.of(System.getProperty("bugtracker.zipkin.jar", "target/zipkin/zipkin-server.jar"));
		if (!Files.isRegularFile(zipkinJar)) {
			throw new IllegalStateException("No Zipkin server at " + zipkinJar + "; run ./mvnw verify from the root");
		}
		// Zipkin's own configuration listens on every interface: this port, on loopback
		// only. It keeps 500,000 spans in memory by default, more than 256 MiB hold, and
		// the load tests send that many: the newest 20,000 are plenty for the tracing
		// tests.
		this.zipkin = new ServiceProcess("zipkin", zipkinJar, this.workdir, Map.of(),
				List.of("--armeria.ports[0].ip=127.0.0.1", "--armeria.ports[0].port=" + this.zipkinPort,
						"--armeria.ports[0].protocols[0]=http", "--zipkin.storage.mem.max-spans=20000"));
		this.all = List.of(this.gateway, this.bugs, this.users, this.notificator, this.registry, this.zipkin);
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
	}

	/**
	 * PostgreSQL on a fixed port with its data in the work directory, so that it can be
	 * stopped and started again with its data, as a real database server restarts.
	 */
	private EmbeddedPostgres startPostgres() throws IOException {
		return EmbeddedPostgres.builder()
			.setDataDirectory(this.databaseDirectory)
			.setCleanDataDirectory(false)
			.setPort(this.databasePort)
			.start();
	}

	/** Stop the services' database server (its data stays). */
	synchronized void stopDatabase() throws IOException {
		this.postgres.close();
	}

	/** Start the database server again, on the same port with the same data. */
	synchronized void startDatabase() throws IOException {
		this.postgres = startPostgres();
	}

	/**
	 * @param name a service's database
	 * @return a connection to it, as the service's own database user would have one
	 * @throws java.sql.SQLException if it cannot be had
	 */
	java.sql.Connection connect(String name) throws java.sql.SQLException {
		return java.sql.DriverManager.getConnection(this.postgres.getJdbcUrl("postgres", name));
	}

	/**
	 * @param role a role of the stack's PostgreSQL (it trusts local connections)
	 * @param name a service's database
	 * @return a connection to it as that role
	 * @throws java.sql.SQLException if it cannot be had
	 */
	java.sql.Connection connectAs(String role, String name) throws java.sql.SQLException {
		return java.sql.DriverManager.getConnection(this.postgres.getJdbcUrl(role, name));
	}

	private String database(String name) {
		return "--spring.datasource.url=" + this.postgres.getJdbcUrl("postgres", name);
	}

	/**
	 * users-service's database arguments: it runs as {@link #USERS_RUNTIME_ROLE}, its
	 * migrations as the owner, which grant that role no more than the service needs.
	 */
	private List<String> usersDatabase() {
		String url = this.postgres.getJdbcUrl(USERS_RUNTIME_ROLE, "users");
		String withoutUser = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
		// The stack's PostgreSQL trusts local connections: the passwords are not checked.
		return List.of("--spring.datasource.url=" + withoutUser, "--spring.datasource.username=" + USERS_RUNTIME_ROLE,
				"--spring.datasource.password=trusted", "--spring.flyway.user=postgres",
				"--spring.flyway.password=trusted", "--spring.flyway.placeholders.runtimerole=" + USERS_RUNTIME_ROLE);
	}

	/**
	 * Start another instance of users-service on a free port, sharing the database;
	 * stopped with the stack.
	 */
	ServiceProcess startAnotherUsersInstance(String... arguments) throws IOException {
		return startAnotherUsersInstanceAt(freePort(), arguments);
	}

	/**
	 * Start another instance of users-service on the given port (for example where one
	 * just stopped, so that it registers under the same instance id), sharing the
	 * database; stopped with the stack.
	 */
	ServiceProcess startAnotherUsersInstanceAt(int port, String... arguments) throws IOException {
		List<String> all = new ArrayList<>(
				List.of("--bugtracker.outbox.max-backoff=2s", USERS_KEY_REFRESH, USERS_SIGN_UP_THROTTLE));
		all.addAll(usersDatabase());
		all.addAll(List.of(arguments));
		return startAnother("users-service", port, all.toArray(String[]::new));
	}

	/**
	 * Start another instance of bugs-service on a free port, sharing the database;
	 * stopped with the stack.
	 */
	ServiceProcess startAnotherBugsInstance() throws IOException {
		return startAnother("bugs-service", freePort(), database("bugs"));
	}

	/**
	 * Start another instance of notificator-service on free ports, sharing the database
	 * and the mailbox; stopped with the stack.
	 */
	ServiceProcess startAnotherNotificatorInstance() throws IOException {
		return startAnother("notificator-service", freePort(), "--spring.grpc.server.port=" + freePort(),
				database("notificator"));
	}

	private ServiceProcess startAnother(String service, int port, String... arguments) throws IOException {
		Path root = Path.of(System.getProperty("bugtracker.root", ".."));
		String version = System.getProperty("bugtracker.version", "0.1.0-SNAPSHOT");
		List<String> all = new ArrayList<>(List.of("--server.port=" + port));
		all.addAll(List.of(arguments));
		ServiceProcess instance = new ServiceProcess(service + "-" + port,
				root.resolve(service + "/target/" + service + "-" + version + ".jar"), this.workdir, environment(),
				all);
		this.extra.add(instance);
		instance.port = port;
		try {
			instance.start();
			awaitReady(instance, port);
		}
		catch (IOException | RuntimeException | Error ex) {
			// An instance that did not come up is not left running or registered for
			// the next test to meet: SIGTERM (it leaves the registry if it got that
			// far), then SIGKILL.
			instance.stop();
			this.extra.remove(instance);
			throw ex;
		}
		return instance;
	}

	/**
	 * Brings the stack back to its own instances, one of each service, whatever a test
	 * before left behind (an instance started by a test that failed before it stopped
	 * it): every extra instance still running is stopped, the stack's own instances run
	 * (started again if stopped, let go on if frozen) and the registry has to list only
	 * them. Tests that start or stop instances call this first, so that they never fail
	 * on a predecessor's leftovers.
	 */
	void restoreOwnInstances() {
		List<ServiceProcess> running = this.extra.stream().filter(ServiceProcess::isAlive).toList();
		if (!running.isEmpty()) {
			System.out.println("Stopping instances left by an earlier test: " + running);
			running.forEach(ServiceProcess::signalStop);
			running.forEach(ServiceProcess::stop);
		}
		this.extra.removeIf((instance) -> !instance.isAlive());
		for (ServiceProcess own : List.of(this.users, this.bugs, this.notificator)) {
			try {
				if (own.isAlive()) {
					// Harmless when it runs; lets it go on if a test froze it (SIGSTOP).
					own.signal("CONT");
				}
				else {
					System.out.println("Starting " + own.name() + ", which an earlier test left stopped");
					own.start();
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			awaitReady(own, own.port);
		}
		for (String application : List.of("USERS-SERVICE", "BUGS-SERVICE", "NOTIFICATOR-SERVICE")) {
			await(Duration.ofSeconds(90), "the registry lists only the stack's own " + application + " instance",
					() -> registeredInstances(application).size() == 1);
		}
	}

	/** The instance ids that the registry lists for an application. */
	List<String> registeredInstances(String application) {
		HttpResponse<String> app = registry("/eureka/apps/" + application);
		if (app.statusCode() == 404) {
			return List.of();
		}
		return com.jayway.jsonpath.JsonPath.read(app.body(), "$.application.instance[*].instanceId");
	}

	private ServiceProcess service(Path root, String version, String name, Map<String, String> env, int port,
			String... extra) {
		Path jar = root.resolve(name).resolve("target").resolve(name + "-" + version + ".jar");
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException("No packaged jar at " + jar + "; run ./mvnw verify from the root");
		}
		List<String> arguments = new ArrayList<>(List.of("--server.port=" + port));
		arguments.addAll(List.of(extra));
		ServiceProcess process = new ServiceProcess(name, jar, this.workdir, env, arguments);
		process.port = port;
		return process;
	}

	/**
	 * @return every operation ({@code METHOD /path}) that the OpenAPI descriptions of
	 * users-service and bugs-service list, as the gateway serves them
	 */
	java.util.SortedSet<String> describedOperations() {
		java.util.SortedSet<String> described = new java.util.TreeSet<>();
		for (String service : List.of("users-service", "bugs-service")) {
			String openApi = get(this.gatewayPort, "/api-docs/" + service).body();
			Map<String, Map<String, Object>> paths = com.jayway.jsonpath.JsonPath.read(openApi, "$.paths");
			paths.forEach((path, operations) -> operations.keySet()
				.forEach((method) -> described.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path)));
		}
		return described;
	}

	/**
	 * What every service process gets: where the registry is, the public URL, and where
	 * to send spans.
	 */
	private Map<String, String> environment() {
		return Map.of("EUREKA_URL",
				"http://eureka:" + REGISTRY_PASSWORD + "@127.0.0.1:" + this.registryPort + "/eureka/",
				"EUREKA_PASSWORD", REGISTRY_PASSWORD, "EUREKA_READER_PASSWORD", REGISTRY_READER_PASSWORD, "PUBLIC_URL",
				"http://127.0.0.1:" + this.gatewayPort, "BUGS_SERVICE_CLIENT_SECRET", CLIENT_SECRET,
				"IDEMPOTENCY_SECRET", IDEMPOTENCY_SECRET, "SIGNING_KEYS_SECRET", SIGNING_KEYS_SECRET,
				"MANAGEMENT_TRACING_EXPORT_ZIPKIN_ENABLED", "true", "MANAGEMENT_TRACING_EXPORT_ZIPKIN_ENDPOINT",
				"http://127.0.0.1:" + this.zipkinPort + "/api/v2/spans");
	}

	/**
	 * @param scopes the scopes asked for, separated by spaces
	 * @return an access token of the client bugs-service (client credentials), through
	 * the gateway
	 */
	String serviceToken(String scopes) {
		String client = Base64.getEncoder()
			.encodeToString(("bugs-service:" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> token = send(HttpRequest.newBuilder(uri(this.gatewayPort, "/oauth2/token"))
			.header("Authorization", "Basic " + client)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope="
					+ java.net.URLEncoder.encode(scopes, StandardCharsets.UTF_8))));
		if (token.statusCode() != 200) {
			throw new IllegalStateException("No token for bugs-service: " + token.body());
		}
		return com.jayway.jsonpath.JsonPath.read(token.body(), "$.access_token");
	}

	/**
	 * A user with an account, as curl makes one: signed up with a password through the
	 * gateway, which then creates a personal access token (scopes {@code bugs:read} and
	 * {@code bugs:write}, one day).
	 * @param email their email address
	 * @return the account
	 */
	Account signUp(String email) {
		String password = "password " + Integer.toHexString(email.hashCode()) + "-" + email.length();
		HttpResponse<String> registered = json("POST", this.gatewayPort, "/users",
				"{\"email\": \"" + email + "\", \"password\": \"" + password + "\"}");
		if (registered.statusCode() != 201) {
			throw new IllegalStateException("Could not sign up " + email + ": " + registered.body());
		}
		return withToken(email, password);
	}

	private Account withToken(String email, String password) {
		String basic = "Basic "
				+ Base64.getEncoder().encodeToString((email + ":" + password).getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> me = send(
				HttpRequest.newBuilder(uri(this.gatewayPort, "/users/me")).header("Authorization", basic));
		if (me.statusCode() != 200) {
			throw new IllegalStateException("Could not sign in as " + email + ": " + me.body());
		}
		long id = ((Number) com.jayway.jsonpath.JsonPath.read(me.body(), "$.id")).longValue();
		HttpResponse<String> token = json("POST", this.gatewayPort, "/auth/tokens",
				"{\"name\": \"system test\", \"scopes\": [\"bugs:read\", \"bugs:write\", \"users:read\", \"users:write\"], \"expiresInDays\": 1}",
				"Authorization", basic);
		if (token.statusCode() != 201) {
			throw new IllegalStateException("Could not make a token for " + email + ": " + token.body());
		}
		return new Account(id, email, basic, "Bearer " + com.jayway.jsonpath.JsonPath.read(token.body(), "$.token"));
	}

	/**
	 * A user of the stack.
	 *
	 * @param id their id
	 * @param email their email address
	 * @param basic their {@code Authorization} header with email and password
	 * @param bearer their {@code Authorization} header with a personal access token
	 */
	record Account(long id, String email, String basic, String bearer) {
	}

	/**
	 * The admin's account, registered with its password on first use, with a new personal
	 * access token.
	 * @return the admin
	 */
	Account admin() {
		HttpResponse<String> registered = json("POST", this.gatewayPort, "/users",
				"{\"email\": \"" + ADMIN_EMAIL + "\", \"password\": \"" + ADMIN_PASSWORD + "\"}");
		if (registered.statusCode() != 201 && registered.statusCode() != 409) {
			throw new IllegalStateException("Could not register the admin: " + registered.body());
		}
		String basic = "Basic " + Base64.getEncoder()
			.encodeToString((ADMIN_EMAIL + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> me = send(
				HttpRequest.newBuilder(uri(this.gatewayPort, "/users/me")).header("Authorization", basic));
		if (me.statusCode() == 200 && !(Boolean) com.jayway.jsonpath.JsonPath.read(me.body(), "$.emailVerified")) {
			// A configured admin is one once the address is proven: with the welcome
			// email's confirmation link, signed in.
			await(Duration.ofSeconds(60), "the admin's welcome email", () -> !emailsTo(ADMIN_EMAIL).isEmpty());
			java.util.regex.Matcher link = java.util.regex.Pattern
				.compile("/users/me/email-confirmation\\?token=([0-9a-f-]{36})")
				.matcher(decoded(emailsTo(ADMIN_EMAIL).get(0)));
			if (!link.find()) {
				throw new IllegalStateException("No confirmation link in " + emailsTo(ADMIN_EMAIL).get(0));
			}
			HttpResponse<String> confirmed = json("POST", this.gatewayPort, "/users/me/email-confirmation",
					"{\"token\": \"" + link.group(1) + "\"}", "Authorization", basic);
			if (confirmed.statusCode() != 200) {
				throw new IllegalStateException("Could not confirm the admin's address: " + confirmed.body());
			}
		}
		return withToken(ADMIN_EMAIL, ADMIN_PASSWORD);
	}

	/**
	 * @param eml an email as notificator wrote it
	 * @return its text with the quoted-printable soft line breaks and escaped equals
	 * signs undone, as a mail reader shows it
	 */
	static String decoded(String eml) {
		return eml.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=");
	}

	/** Start everything and wait until the gateway routes to both HTTP services. */
	void start() throws IOException {
		ServiceProcess.prepare(Stream.of(this.registry, this.notificator, this.users, this.bugs, this.gateway)
			.map(ServiceProcess::jar)
			.toList());
		this.zipkin.start();
		this.registry.start();
		this.notificator.start();
		this.users.start();
		this.bugs.start();
		this.gateway.start();
		await(READY_TIMEOUT, "Zipkin is ready", () -> {
			if (!this.zipkin.isAlive()) {
				throw new IllegalStateException("Zipkin exited; see " + this.zipkin.log());
			}
			return get(this.zipkinPort, "/health").statusCode() == 200;
		});
		awaitReady(this.registry, this.registryPort);
		awaitReady(this.notificator, this.notificatorPort);
		awaitReady(this.users, this.usersPort);
		awaitReady(this.bugs, this.bugsPort);
		awaitReady(this.gateway, this.gatewayManagementPort);
		await(Duration.ofSeconds(60), "the gateway routes to users-service and bugs-service",
				() -> routesToUsers() && get(this.gatewayPort, "/bugs?size=1").statusCode() == 200);
	}

	/**
	 * @return whether the gateway reaches users-service: it answers who the caller is
	 * (nobody: 401), where the gateway would answer 503 for a service it cannot reach
	 */
	boolean routesToUsers() {
		return get(this.gatewayPort, "/users/me").statusCode() == 401;
	}

	/**
	 * Waits until a service answers its readiness probe. A JVM that starts in 20 s on an
	 * idle 2-core machine has been seen to take two minutes on a loaded one: the wait is
	 * sized for that, and a service that still is not ready is reported with its last log
	 * lines and the machine's load, which tell a slow start from a failed one.
	 */
	void awaitReady(ServiceProcess service, int port) {
		long started = System.nanoTime();
		try {
			await(READY_TIMEOUT, service.name() + " is ready", () -> {
				if (!service.isAlive()) {
					throw new IllegalStateException(service.name() + " exited; its last lines:\n" + service.tail(40));
				}
				return get(port, "/actuator/health/readiness").statusCode() == 200;
			});
		}
		catch (AssertionError ex) {
			throw new AssertionError(
					service.name() + " is not ready after " + Duration.ofNanos(System.nanoTime() - started).toSeconds()
							+ " s; machine load: " + machineLoad() + "; its last lines:\n" + service.tail(40),
					ex);
		}
	}

	/**
	 * How long a service may take to become ready: twice the slowest start seen in CI.
	 */
	static final Duration READY_TIMEOUT = Duration.ofSeconds(240);

	/**
	 * @return the load averages of the last 1, 5 and 15 minutes and the number of cores,
	 * for the message of a failed wait
	 */
	static String machineLoad() {
		try {
			String[] load = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
			return load[0] + " " + load[1] + " " + load[2] + " (1, 5, 15 min) on "
					+ Runtime.getRuntime().availableProcessors() + " cores";
		}
		catch (IOException | RuntimeException ex) {
			return "unknown (" + ex + ")";
		}
	}

	void await(Duration timeout, String what, java.util.concurrent.Callable<Boolean> condition) {
		try {
			Awaitility.await(what)
				.atMost(timeout)
				.pollInterval(Duration.ofMillis(250))
				.ignoreExceptionsMatching((ex) -> ex instanceof IOException || ex instanceof UncheckedIOException)
				.until(condition);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("Timed out waiting until " + what + ". Processes: " + this.all + ". Logs in "
					+ this.workdir.resolve("var/log"), ex);
		}
	}

	/**
	 * @param path a path of the registry
	 * @return its answer to a GET with the read-only credentials
	 */
	/**
	 * Take the instances of an application at a port out of the registry, with the
	 * services' own credentials (the clean-up of a test that killed one: its lease would
	 * keep it listed for another 15 to 30 s).
	 */
	void deregister(String application, int port) {
		String auth = "Basic "
				+ Base64.getEncoder().encodeToString(("eureka:" + REGISTRY_PASSWORD).getBytes(StandardCharsets.UTF_8));
		for (String instance : registeredInstances(application)) {
			if (instance.endsWith(":" + port)) {
				HttpResponse<String> removed = send(
						HttpRequest.newBuilder(uri(this.registryPort, "/eureka/apps/" + application + "/" + instance))
							.header("Authorization", auth)
							.DELETE());
				if (removed.statusCode() != 200 && removed.statusCode() != 404) {
					throw new IllegalStateException(
							"The registry kept " + instance + ": " + removed.statusCode() + " " + removed.body());
				}
			}
		}
	}

	HttpResponse<String> registry(String path) {
		return send(HttpRequest.newBuilder(uri(this.registryPort, path))
			.header("Accept", "application/json")
			.header("Authorization", REGISTRY_READER)
			.GET());
	}

	HttpResponse<String> get(int port, String path) {
		return send(HttpRequest.newBuilder(uri(port, path)).header("Accept", "application/json").GET());
	}

	HttpResponse<String> send(HttpRequest.Builder request) {
		HttpRequest built = request.timeout(REQUEST_TIMEOUT).build();
		try {
			return Http.send(this.http, built);
		}
		catch (java.io.UncheckedIOException ex) {
			if (ex.getCause() instanceof java.net.http.HttpTimeoutException) {
				throw new AssertionError(built.method() + " " + built.uri() + " got no answer in " + REQUEST_TIMEOUT
						+ "; " + threadDumpOf(built.uri().getPort()), ex);
			}
			throw ex;
		}
	}

	/**
	 * Ask the service listening on a port for a thread dump (SIGQUIT) and print it, so
	 * that a hang seen on a build machine can be read from the build's output.
	 */
	private String threadDumpOf(int port) {
		// The gateway's actuator is on a port of its own.
		int servicePort = (port == this.gatewayManagementPort) ? this.gatewayPort : port;
		ServiceProcess target = java.util.stream.Stream.concat(this.all.stream(), this.extra.stream())
			.filter((service) -> service.port == servicePort)
			.findFirst()
			.orElse(null);
		if (target == null || !target.isAlive()) {
			return "no running service of this stack listens on port " + port;
		}
		try {
			String dump = dumpThreads(target);
			System.err.println("Thread dump of " + target + ", which did not answer in time:\n" + dump);
			// What else went on: its last collections and safepoints, the machine's load
			// and busiest processes, and a second dump a few seconds later (has the
			// stuck thread moved?).
			System.err.println("Last lines of " + target.gcLog() + ":\n" + tail(target.gcLog(), 30));
			System.err.println("Load average: " + tail(Path.of("/proc/loadavg"), 1));
			System.err.println(busiestProcesses());
			// A deliberate interval between the two dumps, not a wait for a condition.
			Thread.sleep(5000);
			System.err.println("Second thread dump of " + target + ", 5 s later:\n" + dumpThreads(target));
			return "thread dumps of " + target + " printed to the test output";
		}
		catch (IOException | RuntimeException ex) {
			return "no thread dump of " + target + ": " + ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "no thread dump of " + target + ": interrupted";
		}
	}

	/**
	 * Have a service's JVM write a thread dump to its log (SIGQUIT), wait for its end
	 * ("JNI global refs") rather than a fixed time, and return it; a partial dump if the
	 * end does not come within 5 s.
	 */
	private static String dumpThreads(ServiceProcess target) throws IOException, InterruptedException {
		int before = target.logText().length();
		target.signal("QUIT");
		try {
			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> target.logText().substring(before).contains("JNI global refs"));
		}
		catch (ConditionTimeoutException ex) {
			// A partial dump is still worth printing.
		}
		return target.logText().substring(before);
	}

	private static String tail(Path file, int lines) {
		try {
			List<String> all = Files.readAllLines(file);
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException | RuntimeException ex) {
			return "(" + ex + ")";
		}
	}

	private static String busiestProcesses() {
		try {
			Process ps = new ProcessBuilder("ps", "-eo", "pid,pcpu,rss,stat,args", "--sort=-pcpu")
				.redirectErrorStream(true)
				.start();
			String out = new String(ps.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
			ps.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
			return "Busiest processes:\n" + out.lines()
				.limit(12)
				.map((line) -> (line.length() > 200) ? line.substring(0, 200) : line)
				.collect(java.util.stream.Collectors.joining("\n"));
		}
		catch (IOException | RuntimeException ex) {
			return "(no ps: " + ex + ")";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "(interrupted)";
		}
	}

	URI uri(int port, String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	/** A service's Prometheus scrape. */
	String prometheus(int port) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(port, "/actuator/prometheus"))
			.header("Accept", "text/plain");
		if (port == this.registryPort) {
			request.header("Authorization", REGISTRY_READER);
		}
		return send(request).body();
	}

	/** Whether a service's Resilience4j circuit breaker is closed, by its own metrics. */
	boolean breakerClosed(int port, String breaker) {
		return prometheus(port).lines()
			.anyMatch((line) -> line.startsWith("resilience4j_circuitbreaker_state{")
					&& line.contains("name=\"" + breaker + "\"") && line.contains("state=\"closed\"")
					&& line.endsWith(" 1.0"));
	}

	/**
	 * The value of one Prometheus sample of a service, e.g. {@code name{tag="value"}}.
	 */
	double metric(int port, String sample) {
		String body = prometheus(port);
		return body.lines()
			.filter((line) -> line.startsWith(sample + " "))
			.map((line) -> Double.parseDouble(line.substring(sample.length() + 1).trim().split(" ")[0]))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No sample " + sample + " on port " + port));
	}

	/** Every .eml file notificator wrote, by file name, with its content. */
	Map<String, String> mailbox() {
		Path mail = this.workdir.resolve("var/mail");
		Map<String, String> files = new LinkedHashMap<>();
		if (!Files.isDirectory(mail)) {
			return files;
		}
		try (Stream<Path> list = Files.list(mail)) {
			for (Path file : list.filter((p) -> p.getFileName().toString().endsWith(".eml")).sorted().toList()) {
				files.put(file.getFileName().toString(), Files.readString(file));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return files;
	}

	/** The emails sent to one address. */
	List<String> emailsTo(String address) {
		return mailbox().values().stream().filter((eml) -> eml.contains("To: " + address)).toList();
	}

	/** Send JSON with a method, optional extra headers as name/value pairs. */
	HttpResponse<String> json(String method, int port, String path, String body, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(port, path))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return send(request);
	}

	/** The emails sent for one idempotency key. */
	List<String> emailsWithKey(String idempotencyKey) {
		return mailbox().values()
			.stream()
			.filter((eml) -> eml.contains("X-Idempotency-Key: " + idempotencyKey + "\r\n")
					|| eml.contains("X-Idempotency-Key: " + idempotencyKey + "\n"))
			.toList();
	}

	@Override
	public void close() {
		stopAll();
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// Already shutting down: the hook is running.
		}
	}

	private void stopAll() {
		this.extra.forEach(ServiceProcess::signalStop);
		this.all.forEach(ServiceProcess::signalStop);
		this.extra.forEach(ServiceProcess::stop);
		this.all.forEach(ServiceProcess::stop);
		try {
			this.postgres.close();
		}
		catch (IOException ex) {
			// The JVM is going away; the server process dies with its data directory.
		}
		deleteRecursively(this.databaseDirectory);
	}

	private static void deleteRecursively(Path directory) {
		if (!Files.isDirectory(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException | UncheckedIOException ex) {
			// Under target/: the next clean build removes it.
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

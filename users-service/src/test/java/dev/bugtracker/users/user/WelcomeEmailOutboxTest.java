package dev.bugtracker.users.user;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bugtracker.api.notificator.v1.NotificatorGrpc;
import dev.bugtracker.api.notificator.v1.SendEmailReply;
import dev.bugtracker.api.notificator.v1.SendEmailRequest;
import dev.bugtracker.platform.outbox.EmailOutbox;
import dev.bugtracker.platform.outbox.OutgoingEmail;
import dev.bugtracker.platform.test.EmbeddedPostgresTestConfiguration;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JCircuitBreakerFactory;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Registration and its welcome email through the real outbox, on PostgreSQL, delivered
 * over an real gRPC channel to a notificator whose answers the test controls.
 */
@SpringBootTest(properties = { "eureka.client.enabled=false", "bugtracker.outbox.poll-interval=100ms",
		"bugtracker.outbox.initial-backoff=50ms", "bugtracker.outbox.max-backoff=200ms",
		"resilience4j.circuitbreaker.instances.notificator.minimum-number-of-calls=1000" })
@Import(EmbeddedPostgresTestConfiguration.class)
class WelcomeEmailOutboxTest {

	private static final ScriptedNotificator notificator = new ScriptedNotificator();

	private static Server server;

	@Autowired
	private UserService users;

	@Autowired
	private EmailOutbox outbox;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private Resilience4JCircuitBreakerFactory circuitBreakers;

	@BeforeAll
	static void startNotificator() throws IOException {
		server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
			.addService(notificator)
			.build()
			.start();
	}

	@DynamicPropertySource
	static void notificatorTarget(DynamicPropertyRegistry properties) {
		properties.add("spring.grpc.client.channel.notificator.target", () -> "127.0.0.1:" + server.getPort());
	}

	@AfterAll
	static void stopNotificator() throws InterruptedException {
		server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

	@BeforeEach
	void reset() {
		notificator.received.clear();
		notificator.failures.clear();
		// A test that keeps notificator failing may leave the breaker open for the next.
		this.circuitBreakers.getCircuitBreakerRegistry().getAllCircuitBreakers().forEach(CircuitBreaker::reset);
	}

	@Test
	void registrationQueuesWelcomeEmailThatIsDeliveredOnce() {
		User user = this.users.register("Dana@Example.com", "Dana", "a password of 12+");

		String key = "users:welcome:" + user.getId();
		await().atMost(Duration.ofSeconds(10)).until(() -> "delivered".equals(state(key)));
		List<SendEmailRequest> sent = notificator.requestsFor(key);
		assertThat(sent).hasSize(1);
		assertThat(sent.get(0).getEmail()).isEqualTo("dana@example.com");
		assertThat(sent.get(0).getSubject()).isEqualTo("Welcome to Bugtracker");
		assertThat(sent.get(0).getContent()).contains("Hello Dana,");
		assertThat(row(key)).containsEntry("notification_id", "id-" + key);
	}

	@Test
	void retriesWithTheSameKeyWhileNotificatorIsUnavailable() {
		notificator.fail("erin@example.com", 3, Status.UNAVAILABLE);

		User user = this.users.register("erin@example.com", null, null);

		String key = "users:welcome:" + user.getId();
		await().atMost(Duration.ofSeconds(10)).until(() -> "delivered".equals(state(key)));
		assertThat(notificator.requestsFor(key)).hasSize(4)
			.allSatisfy((request) -> assertThat(request.getIdempotencyKey()).isEqualTo(key));
		assertThat(row(key)).containsEntry("attempts", 4);
	}

	@Test
	void backlogGaugesCountTheEmailsStillWaitingAndAgeTheOldest() {
		notificator.fail("hal@example.com", Integer.MAX_VALUE, Status.UNAVAILABLE);

		User user = this.users.register("hal@example.com", null, null);

		await().atMost(Duration.ofSeconds(10)).until(() -> gauge("bugtracker.outbox.pending") == 1.0);
		// The age grows between the relay's passes, as it would while notificator is
		// away.
		double age = gauge("bugtracker.outbox.oldest.age");
		await().atMost(Duration.ofSeconds(10)).until(() -> gauge("bugtracker.outbox.oldest.age") >= age + 0.5);
		notificator.failures.clear();
		await().atMost(Duration.ofSeconds(10)).until(() -> "delivered".equals(state("users:welcome:" + user.getId())));
		await().atMost(Duration.ofSeconds(10)).until(() -> gauge("bugtracker.outbox.pending") == 0.0);
		assertThat(gauge("bugtracker.outbox.oldest.age")).isZero();
	}

	private double gauge(String name) {
		return this.meters.get(name).gauge().value();
	}

	private double attempts(String outcome) {
		return this.meters.get("bugtracker.outbox.attempts").tag("outcome", outcome).counter().count();
	}

	@Test
	void setsAsideAnEmailThatNotificatorRejectsInsteadOfRetryingForever() {
		notificator.fail("frank@example.com", 1, Status.INVALID_ARGUMENT.withDescription("email is not valid"));
		double deadLettered = attempts("dead-lettered");

		User user = this.users.register("frank@example.com", null, null);

		String key = "users:welcome:" + user.getId();
		await().atMost(Duration.ofSeconds(10)).until(() -> "dead".equals(state(key)));
		assertThat(row(key)).containsEntry("attempts", 1);
		assertThat((String) row(key).get("last_error")).contains("INVALID_ARGUMENT");
		assertThat(notificator.requestsFor(key)).hasSize(1);
		assertThat(attempts("dead-lettered")).isEqualTo(deadLettered + 1);
	}

	@Test
	void duplicateRegistrationIsRefusedAndQueuesNoSecondEmail() {
		this.users.register("gina@example.com", null, null);

		assertThatExceptionOfType(EmailAlreadyRegisteredException.class)
			.isThrownBy(() -> this.users.register("GINA@example.com", null, null));
		assertThat(this.jdbc.sql("select count(*) from email_outbox where recipient = 'gina@example.com'")
			.query(Long.class)
			.single()).isOne();
	}

	@Test
	void refusesToQueueOutsideATransaction() {
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> this.outbox.enqueue(new OutgoingEmail("k", "a@b.co", "s", "b")));
	}

	private String state(String key) {
		Map<String, Object> row = row(key);
		if (row.get("delivered_at") != null) {
			return "delivered";
		}
		return (row.get("dead_at") != null) ? "dead" : "pending";
	}

	private Map<String, Object> row(String key) {
		return this.jdbc.sql("select * from email_outbox where idempotency_key = :key")
			.param("key", key)
			.query()
			.singleRow();
	}

	/**
	 * A notificator that fails the first calls for a recipient as it is told to, then
	 * succeeds.
	 */
	static final class ScriptedNotificator extends NotificatorGrpc.NotificatorImplBase {

		final List<SendEmailRequest> received = new CopyOnWriteArrayList<>();

		final Map<String, Failure> failures = new ConcurrentHashMap<>();

		void fail(String recipient, int times, Status status) {
			this.failures.put(recipient, new Failure(new AtomicInteger(times), status));
		}

		@Override
		public void sendEmail(SendEmailRequest request, StreamObserver<SendEmailReply> responses) {
			this.received.add(request);
			Failure failure = this.failures.get(request.getEmail());
			if (failure != null && failure.left().getAndDecrement() > 0) {
				responses.onError(failure.status().asRuntimeException());
				return;
			}
			responses.onNext(SendEmailReply.newBuilder().setId("id-" + request.getIdempotencyKey()).build());
			responses.onCompleted();
		}

		record Failure(AtomicInteger left, Status status) {
		}

		List<SendEmailRequest> requestsFor(String key) {
			return this.received.stream().filter((request) -> request.getIdempotencyKey().equals(key)).toList();
		}

	}

}

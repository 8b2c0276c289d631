package dev.bugtracker.loadbalancing;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

import static org.assertj.core.api.Assertions.assertThat;

class OutlierDetectorTest {

	private final MutableClock clock = new MutableClock();

	private final List<String> ejected = new java.util.concurrent.CopyOnWriteArrayList<>();

	private final OutlierDetector detector = new OutlierDetector(
			new OutlierDetectionProperties(true, Duration.ofSeconds(5), Duration.ofSeconds(12)), this.clock,
			this.ejected::add);

	private final ServiceInstance first = instance(1);

	private final ServiceInstance second = instance(2);

	@Test
	void ejectsAnInstanceThatRefusesConnectionsAtOnce() {
		this.detector.failed(this.first, new RuntimeException("io", new ConnectException("Connection refused")));

		assertThat(this.detector.healthy(List.of(this.first, this.second))).containsExactly(this.second);
		assertThat(this.ejected).containsExactly("users-service");
	}

	@Test
	void ejectsAnInstanceThatClosedTheConnectionBeforeItsAnswer() {
		this.detector.failed(this.first, new PrematureCloseException());

		assertThat(this.detector.isEjected(this.first)).isTrue();
	}

	@Test
	void ejectsAnInstanceThatResetTheConnection() {
		this.detector.failed(this.first,
				new NativeIoException("recvAddress(..) failed with error(-104): Connection reset by peer"));
		this.detector.failed(this.second, new RuntimeException("relay", new IOException("Broken pipe")));

		assertThat(this.detector.isEjected(this.first)).isTrue();
		assertThat(this.detector.isEjected(this.second)).isTrue();
	}

	@Test
	void ejectsAnInstanceThatDidNotAcceptTheConnectionInTime() {
		this.detector.failed(this.first, new RuntimeException("Connect timed out executing GET",
				new SocketTimeoutException("Connect timed out")));

		assertThat(this.detector.isEjected(this.first)).isTrue();
	}

	@Test
	void ejectsAnInstanceWhoseConnectionClosedBeforeTheRequestWasSent() {
		this.detector.failed(this.first, new AbortedException());

		assertThat(this.detector.isEjected(this.first)).isTrue();
	}

	@Test
	void ejectsAnInstanceThatDidNotAnswerInTime() {
		this.detector.failed(this.first,
				new RuntimeException("Read timed out executing GET", new SocketTimeoutException("Read timed out")));

		assertThat(this.detector.healthy(List.of(this.first, this.second))).containsExactly(this.second);
	}

	@Test
	void keepsAnInstanceThatAnsweredWithAnError() {
		this.detector.failed(this.first, new IllegalStateException("500"));

		assertThat(this.detector.healthy(List.of(this.first, this.second))).containsExactly(this.first, this.second);
		assertThat(this.ejected).isEmpty();
	}

	@Test
	void bringsAnInstanceBackWhenItsEjectionEndsAndForgetsItAfterASuccess() {
		this.detector.failed(this.first, new ConnectException());
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(this.detector.isEjected(this.first)).isFalse();

		this.detector.failed(this.first, new ConnectException());
		this.clock.advance(Duration.ofSeconds(9));
		assertThat(this.detector.isEjected(this.first)).as("the second ejection in a row lasts 10 s").isTrue();
		this.clock.advance(Duration.ofSeconds(1));
		this.detector.succeeded(this.first);

		this.detector.failed(this.first, new ConnectException());
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(this.detector.isEjected(this.first)).as("a success starts the count again").isFalse();
	}

	@Test
	void capsTheEjectionTime() {
		for (int i = 0; i < 5; i++) {
			this.detector.failed(this.first, new ConnectException());
			this.clock.advance(Duration.ofSeconds(60));
		}
		this.detector.failed(this.first, new ConnectException());
		this.clock.advance(Duration.ofSeconds(12));

		assertThat(this.detector.isEjected(this.first)).isFalse();
	}

	@Test
	void aSuccessDuringTheEjectionDoesNotEndIt() {
		this.detector.failed(this.first, new ConnectException());
		this.detector.succeeded(this.first);

		assertThat(this.detector.isEjected(this.first)).isTrue();
	}

	@Test
	void offersEveryInstanceWhenAllAreEjected() {
		this.detector.failed(this.first, new ConnectException());
		this.detector.failed(this.second, new ConnectException());

		assertThat(this.detector.healthy(List.of(this.first, this.second))).containsExactly(this.first, this.second);
	}

	@Test
	void countsConcurrentFailuresOfOneCrashAsOneEjection() throws Exception {
		ExecutorService clients = Executors.newFixedThreadPool(32);
		CountDownLatch start = new CountDownLatch(1);
		List<java.util.concurrent.Future<?>> calls = new ArrayList<>();
		for (int i = 0; i < 32; i++) {
			calls.add(clients.submit(() -> {
				start.await();
				this.detector.failed(this.first, new ConnectException());
				return null;
			}));
		}
		start.countDown();
		for (var call : calls) {
			call.get(10, TimeUnit.SECONDS);
		}
		clients.shutdown();

		assertThat(this.ejected).containsExactly("users-service");
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(this.detector.isEjected(this.first)).as("one ejection, not 32 in a row").isFalse();
	}

	@Test
	void ejectsNothingWhenDisabled() {
		OutlierDetector disabled = new OutlierDetector(
				new OutlierDetectionProperties(false, Duration.ofSeconds(5), Duration.ofSeconds(12)), this.clock,
				this.ejected::add);
		disabled.failed(this.first, new ConnectException());

		assertThat(disabled.isEjected(this.first)).isFalse();
	}

	private static ServiceInstance instance(int n) {
		return new DefaultServiceInstance("users-" + n, "users-service", "127.0.0.1", 9000 + n, false);
	}

	/** Named like reactor-netty's, which this module does not depend on. */
	static final class PrematureCloseException extends IOException {

		PrematureCloseException() {
			super("Connection prematurely closed BEFORE response");
		}

	}

	/** Named like netty's epoll transport's, which this module does not depend on. */
	static final class NativeIoException extends IOException {

		NativeIoException(String message) {
			super(message);
		}

	}

	/** Named like reactor-netty's, which this module does not depend on. */
	static final class AbortedException extends RuntimeException {

		AbortedException() {
			super("Connection has been closed BEFORE send operation");
		}

	}

	private static final class MutableClock extends Clock {

		private volatile Instant now = Instant.parse("2026-11-22T10:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}

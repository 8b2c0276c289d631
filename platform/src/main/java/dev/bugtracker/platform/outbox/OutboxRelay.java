package dev.bugtracker.platform.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.context.SmartLifecycle;

/**
 * Delivers due outbox emails: right after a transaction that recorded one commits, and
 * every {@code poll-interval} for retries and for rows left behind by a crashed instance.
 * <p>
 * One thread per instance drains the outbox; instances share the work through leases (see
 * {@link OutboxStore}). Transient failures are retried with exponential backoff and
 * jitter, for as long as it takes; emails notificator rejects as malformed are set aside
 * with the reason.
 */
class OutboxRelay implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	private static final Duration HOUSEKEEPING_INTERVAL = Duration.ofHours(1);

	private final OutboxStore store;

	private final GrpcEmailSender sender;

	private final OutboxProperties properties;

	private final Clock clock;

	private final AtomicBoolean wakeUpPending = new AtomicBoolean();

	/**
	 * Emails waiting, as counted at the end of the last pass: a scrape reads this instead
	 * of querying the database, so that metrics stay fast and available while the
	 * database is slow or away.
	 */
	private final AtomicLong pending = new AtomicLong();

	/**
	 * When the oldest waiting email was recorded, as of the last pass ({@code null} if
	 * none waits); its age grows between passes, so a stuck outbox shows as one.
	 */
	private final AtomicReference<Instant> oldestPending = new AtomicReference<>();

	private final Counter delivered;

	private final Counter retried;

	private final Counter deadLettered;

	private volatile ScheduledExecutorService executor;

	private Instant nextHousekeeping = Instant.MIN;

	OutboxRelay(OutboxStore store, GrpcEmailSender sender, OutboxProperties properties, Clock clock,
			MeterRegistry meters) {
		this.store = store;
		this.sender = sender;
		this.properties = properties;
		this.clock = clock;
		this.delivered = outcome(meters, "delivered");
		this.retried = outcome(meters, "retried");
		this.deadLettered = outcome(meters, "dead-lettered");
		Gauge.builder("bugtracker.outbox.pending", this.pending, AtomicLong::get)
			.description("Emails in the outbox waiting for delivery, as of the relay's last pass")
			.register(meters);
		Gauge.builder("bugtracker.outbox.oldest.age", this, OutboxRelay::oldestPendingAgeSeconds)
			.description("Age of the oldest email waiting in the outbox (0 when none waits)")
			.baseUnit("seconds")
			.register(meters);
	}

	private double oldestPendingAgeSeconds() {
		Instant oldest = this.oldestPending.get();
		return (oldest != null) ? Math.max(0, Duration.between(oldest, this.clock.instant()).toMillis() / 1000.0) : 0;
	}

	private static Counter outcome(MeterRegistry meters, String outcome) {
		return Counter.builder("bugtracker.outbox.attempts")
			.description("Delivery attempts of outbox emails, by outcome: delivered, retried (a transient "
					+ "failure), dead-lettered (rejected by notificator as malformed, never retried)")
			.tag("outcome", outcome)
			.register(meters);
	}

	/** Ask for a pass soon; several requests while one is pending make one pass. */
	void wakeUp() {
		ScheduledExecutorService current = this.executor;
		if (current != null && this.wakeUpPending.compareAndSet(false, true)) {
			current.execute(() -> {
				this.wakeUpPending.set(false);
				drainSafely();
			});
		}
	}

	@Override
	public void start() {
		ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "email-outbox-relay");
			thread.setDaemon(true);
			return thread;
		});
		long period = this.properties.pollInterval().toMillis();
		started.scheduleWithFixedDelay(this::drainSafely, period, period, TimeUnit.MILLISECONDS);
		this.executor = started;
	}

	@Override
	public void stop() {
		ScheduledExecutorService running = this.executor;
		this.executor = null;
		if (running != null) {
			running.shutdown();
			try {
				if (!running.awaitTermination(10, TimeUnit.SECONDS)) {
					running.shutdownNow();
				}
			}
			catch (InterruptedException ex) {
				running.shutdownNow();
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	/** Stop before the web server and the gRPC channels shut down, start after them. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 2048;
	}

	private void drainSafely() {
		try {
			drain();
			housekeeping();
			OutboxStore.Backlog backlog = this.store.backlog();
			this.pending.set(backlog.size());
			this.oldestPending.set(backlog.oldest());
		}
		catch (RuntimeException ex) {
			// The database may be briefly unavailable; the next pass tries again.
			log.warn("Outbox pass failed: {}", ex.toString());
		}
	}

	void drain() {
		while (this.executor != null) {
			List<PendingEmail> batch = this.store.claimDue(this.properties.batchSize(), this.properties.lease());
			if (batch.isEmpty()) {
				return;
			}
			for (int i = 0; i < batch.size(); i++) {
				Instant retryAt = deliver(batch.get(i));
				if (retryAt != null) {
					// The rest of the batch would most likely fail too: hand it back for
					// the same
					// retry time instead of holding it until the lease ends.
					batch.subList(i + 1, batch.size()).forEach((rest) -> this.store.release(rest, retryAt));
					return;
				}
			}
		}
	}

	/**
	 * Deliver one email and record the outcome.
	 * @param pending the claimed email
	 * @return when to retry if delivery failed, {@code null} if the email is settled
	 */
	private Instant deliver(PendingEmail pending) {
		// The lines about this email carry the trace of the request that queued it.
		try (MDC.MDCCloseable trace = traceOf(pending)) {
			return deliverInTrace(pending);
		}
	}

	/**
	 * @return the trace id of a W3C {@code traceparent} ({@code 00-<trace id>-<span
	 * id>-<flags>}) in the logging context, or {@code null} without one
	 */
	private static MDC.MDCCloseable traceOf(PendingEmail pending) {
		String parent = pending.traceParent();
		String[] parts = (parent != null) ? parent.split("-") : new String[0];
		return (parts.length == 4 && parts[1].length() == 32) ? MDC.putCloseable("traceId", parts[1]) : null;
	}

	private Instant deliverInTrace(PendingEmail pending) {
		DeliveryResult result = this.sender.send(pending);
		if (result instanceof DeliveryResult.Delivered ok) {
			this.store.markDelivered(pending, ok.notificationId());
			this.delivered.increment();
			log.info("Delivered email {} as notification {}", pending.email().idempotencyKey(), ok.notificationId());
			return null;
		}
		if (result instanceof DeliveryResult.Rejected rejection) {
			this.store.markDead(pending, rejection.reason());
			this.deadLettered.increment();
			log.error("notificator rejected email {}; it will not be retried: {}", pending.email().idempotencyKey(),
					rejection.reason());
			return null;
		}
		String reason = (result instanceof DeliveryResult.Failed failed) ? failed.reason()
				: ((DeliveryResult.BreakerOpen) result).reason();
		Duration delay = backoff(pending.attempts() + 1);
		Instant retryAt = this.clock.instant().plus(delay);
		this.store.reschedule(pending, retryAt, reason);
		this.retried.increment();
		log.warn("Email {} not delivered (attempt {}), retrying in {} ms: {}", pending.email().idempotencyKey(),
				pending.attempts() + 1, delay.toMillis(), reason);
		return retryAt;
	}

	Duration backoff(int attempt) {
		double base = this.properties.initialBackoff().toMillis()
				* Math.pow(this.properties.multiplier(), Math.max(0, attempt - 1));
		double capped = Math.min(base, this.properties.maxBackoff().toMillis());
		double jittered = capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble());
		return Duration.ofMillis(Math.max(1, (long) jittered));
	}

	private void housekeeping() {
		Instant now = this.clock.instant();
		if (now.isBefore(this.nextHousekeeping)) {
			return;
		}
		this.nextHousekeeping = now.plus(HOUSEKEEPING_INTERVAL);
		int deleted = this.store.deleteDeliveredBefore(now.minus(this.properties.retention()));
		if (deleted > 0) {
			log.info("Removed {} delivered emails older than {} from the outbox", deleted, this.properties.retention());
		}
	}

}

package dev.bugtracker.notificator.notification;

import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends emails exactly once per idempotency key.
 * <p>
 * The request is recorded first, so it is never lost; delivery then runs while holding a
 * lock on that record, so concurrent repeats of one key wait and then see it sent. A
 * failed delivery is recorded as such and reported, and a repeat of the key tries again.
 */
@Service
public class NotificationService {

	private static final Logger log = LoggerFactory.getLogger(NotificationService.class);

	private final NotificationStore store;

	private final MailDelivery delivery;

	private final TransactionTemplate transactions;

	private final Counter accepted;

	private final Counter delivered;

	private final Counter failed;

	private final ObservationRegistry observations;

	NotificationService(NotificationStore store, MailDelivery delivery, TransactionTemplate transactions,
			MeterRegistry meters, ObservationRegistry observations) {
		this.observations = observations;
		this.store = store;
		this.delivery = delivery;
		this.transactions = transactions;
		this.accepted = outcome(meters, "accepted");
		this.delivered = outcome(meters, "delivered");
		this.failed = outcome(meters, "failed");
	}

	private static Counter outcome(MeterRegistry meters, String outcome) {
		return Counter.builder("bugtracker.emails")
			.description("Emails by outcome: accepted (a new idempotency key recorded), delivered (handed to the "
					+ "mail transport), failed (the transport failed; the sender retries with the same key)")
			.tag("outcome", outcome)
			.register(meters);
	}

	/**
	 * Record and deliver one email, unless its idempotency key was delivered before.
	 * @param request the validated request
	 * @return the notification's id and whether it was a repeat
	 * @throws IdempotencyKeyConflictException if the key was used for a different email
	 * @throws MailDeliveryException if the mail transport failed (retry later with the
	 * same key)
	 */
	public SendResult send(EmailRequest request) {
		boolean repeat = this.store.existsByKey(request.idempotencyKey());
		if (!repeat) {
			try {
				this.store.insert(UUID.randomUUID(), request);
				this.accepted.increment();
			}
			catch (DuplicateKeyException ex) {
				repeat = true; // a concurrent call with the same key won the insert
			}
		}
		boolean duplicate = repeat;
		Attempt attempt = this.transactions.execute((status) -> {
			Notification notification = this.store.lockByKey(request.idempotencyKey()).orElseThrow();
			if (!notification.sameEmailAs(request)) {
				throw new IdempotencyKeyConflictException(request.idempotencyKey());
			}
			if (notification.status() == Notification.Status.SENT) {
				return new Attempt(notification.id(), null, false);
			}
			try {
				// A span of its own in the trace of the request: the last hop, to SMTP or
				// the
				// .eml outbox.
				Observation.createNotStarted("bugtracker.email.delivery", this.observations)
					.contextualName("deliver email")
					.lowCardinalityKeyValue("transport", this.delivery.transport())
					.observe(() -> this.delivery.deliver(notification));
			}
			catch (MailDeliveryException ex) {
				this.store.markFailed(notification.id(), ex.getMessage());
				return new Attempt(notification.id(), ex, false);
			}
			this.store.markSent(notification.id());
			log.info("Sent notification {} ({}) to {}", notification.id(), notification.idempotencyKey(),
					notification.recipient());
			return new Attempt(notification.id(), null, true);
		});
		if (attempt.failure() != null) {
			this.failed.increment();
			throw attempt.failure();
		}
		if (attempt.sent()) {
			this.delivered.increment();
		}
		return new SendResult(attempt.id(), duplicate);
	}

	/**
	 * @param id the notification
	 * @param failure why delivery failed, if it did
	 * @param sent whether this call delivered it (not a repeat of a sent one)
	 */
	private record Attempt(UUID id, MailDeliveryException failure, boolean sent) {
	}

}

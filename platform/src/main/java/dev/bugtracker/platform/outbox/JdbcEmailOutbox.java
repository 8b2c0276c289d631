package dev.bugtracker.platform.outbox;

import java.util.Map;
import java.util.function.Supplier;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records emails in {@code email_outbox} in the caller's transaction and wakes the relay
 * when that transaction commits.
 */
class JdbcEmailOutbox implements EmailOutbox {

	private final OutboxStore store;

	private final OutboxRelay relay;

	private final Supplier<Map<String, String>> traceContext;

	JdbcEmailOutbox(OutboxStore store, OutboxRelay relay, Supplier<Map<String, String>> traceContext) {
		this.store = store;
		this.relay = relay;
		this.traceContext = traceContext;
	}

	@Override
	public void enqueue(OutgoingEmail email) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException(
					"EmailOutbox.enqueue must run inside the transaction of the change that causes the email");
		}
		this.store.insert(email, this.traceContext.get().get("traceparent"));
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				JdbcEmailOutbox.this.relay.wakeUp();
			}

		});
	}

}

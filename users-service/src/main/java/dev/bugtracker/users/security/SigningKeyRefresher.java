package dev.bugtracker.users.security;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Reads the signing keys at start (so that a service whose keys cannot be read does not
 * start) and again every {@link SigningKeyProperties#refreshInterval()}.
 */
class SigningKeyRefresher implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(SigningKeyRefresher.class);

	private final SigningKeys keys;

	private final SigningKeyProperties properties;

	private volatile ScheduledExecutorService scheduler;

	SigningKeyRefresher(SigningKeys keys, SigningKeyProperties properties) {
		this.keys = keys;
		this.properties = properties;
	}

	@Override
	public void start() {
		this.keys.refresh();
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "signing-keys");
			thread.setDaemon(true);
			return thread;
		});
		long interval = this.properties.refreshInterval().toMillis();
		scheduler.scheduleWithFixedDelay(this::refresh, interval, interval, TimeUnit.MILLISECONDS);
		this.scheduler = scheduler;
	}

	private void refresh() {
		try {
			this.keys.refresh();
		}
		catch (RuntimeException ex) {
			// The keys read last stay in use; the next refresh tries again.
			log.warn("Could not refresh the token signing keys: {}", ex.toString());
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService scheduler = this.scheduler;
		if (scheduler != null) {
			scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

}

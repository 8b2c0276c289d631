package dev.bugtracker.platform.discovery;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.context.SmartLifecycle;

/**
 * Leaves the registry before the web server drains: on shutdown, marks this instance
 * {@code DOWN} and waits long enough for callers to refresh their view, so that they stop
 * sending requests before the server stops accepting them. Spring Cloud would otherwise
 * deregister only after the graceful shutdown (phase 0), while callers still route to a
 * draining instance.
 */
public class DeregisterBeforeShutdown implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DeregisterBeforeShutdown.class);

	private final ServiceRegistry<Registration> registry;

	private final Registration registration;

	private final Duration delay;

	private volatile boolean running;

	/**
	 * Create the lifecycle.
	 * @param registry the service registry
	 * @param registration this instance's registration
	 * @param delay how long callers need to notice (their registry fetch interval plus
	 * their load balancer cache)
	 */
	public DeregisterBeforeShutdown(ServiceRegistry<Registration> registry, Registration registration, Duration delay) {
		this.registry = registry;
		this.registration = registration;
		this.delay = delay;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		log.info("Leaving the registry: {} is DOWN; draining starts in {} ms", this.registration.getInstanceId(),
				this.delay.toMillis());
		try {
			this.registry.setStatus(this.registration, "DOWN");
		}
		catch (RuntimeException ex) {
			log.warn("Could not mark this instance DOWN in the registry: {}", ex.toString());
			return;
		}
		try {
			Thread.sleep(this.delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Stops just before the web server's graceful shutdown. */
	@Override
	public int getPhase() {
		return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1;
	}

}

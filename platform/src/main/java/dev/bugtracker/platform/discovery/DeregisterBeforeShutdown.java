package dev.bugtracker.platform.discovery;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.context.SmartLifecycle;

/**
 * Leaves the registry before the web server drains: on shutdown, takes this instance out
 * of the registry and waits long enough for callers to refresh their view, so that they
 * stop sending requests before the server stops accepting them.
 * <p>
 * Leaving is {@link ServiceRegistry#deregister}: with Eureka, the instance registers
 * itself again with the status {@code DOWN} (Spring Cloud does the same when the context
 * closes; doing it again is harmless) and cancels its lease when the client shuts down.
 * It is deliberately not {@code setStatus(DOWN)}: that is a status <em>override</em>,
 * which the registry keeps by instance id until the lease is cancelled. An instance
 * killed before it cancels (SIGKILL at the end of a grace period) would leave the
 * override behind, and the next instance at the same address, which gets the same id (a
 * new container often gets the IP of the one that just stopped), would stay {@code DOWN}
 * and never take a request.
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
			this.registry.deregister(this.registration);
		}
		catch (RuntimeException ex) {
			log.warn("Could not leave the registry: {}", ex.toString());
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

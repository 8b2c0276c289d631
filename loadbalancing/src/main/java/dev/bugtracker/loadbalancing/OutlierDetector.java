package dev.bugtracker.loadbalancing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cloud.client.ServiceInstance;

/**
 * Remembers the instances whose connections failed and keeps them out of the load
 * balancer's choice for a while (passive outlier detection, as Envoy calls it).
 * <p>
 * The registry learns of a crashed instance only when its lease expires, seconds to
 * minutes later; until then every client would keep choosing it. An instance that refused
 * or dropped a connection is ejected at once, so the retry of the failed request, and
 * every request after it, goes to another instance. The ejection lasts
 * {@code baseEjectionTime} times the number of ejections in a row (at most
 * {@code maxEjectionTime}); then the instance is chosen again, and its first success
 * forgets its past. When every instance of a service is ejected, all of them are
 * candidates again: a guess is better than certain failure.
 * <p>
 * Only failures of the connection count. A slow answer or a 5xx is an answer: timeouts
 * and circuit breakers deal with those.
 */
public class OutlierDetector {

	private static final Log logger = LogFactory.getLog(OutlierDetector.class);

	private final ConcurrentMap<String, Ejection> ejections = new ConcurrentHashMap<>();

	private final OutlierDetectionProperties properties;

	private final Clock clock;

	private final Consumer<String> ejectionListener;

	/**
	 * @param properties the ejection times
	 * @param clock the clock that ejections expire by
	 * @param ejectionListener told the service id of every ejection (e.g. to count it)
	 */
	public OutlierDetector(OutlierDetectionProperties properties, Clock clock, Consumer<String> ejectionListener) {
		this.properties = properties;
		this.clock = clock;
		this.ejectionListener = ejectionListener;
	}

	/**
	 * A call to the instance failed: eject it if the connection failed, or if it did not
	 * answer in time (stalled, overloaded, or just started and still cold:
	 * KillUnderLoadIT saw a fresh instance take 5 s over its first requests under 64
	 * clients). While it is out the others take its share; it is tried again when the
	 * ejection ends.
	 * @param instance the instance called
	 * @param failure what the call threw
	 */
	public void failed(ServiceInstance instance, Throwable failure) {
		if (!this.properties.enabled()
				|| !(ConnectionFailures.isConnectionFailure(failure) || ConnectionFailures.isTimeout(failure))) {
			return;
		}
		Instant now = this.clock.instant();
		Ejection[] started = new Ejection[1];
		this.ejections.compute(key(instance), (key, previous) -> {
			if (previous != null && previous.until().isAfter(now)) {
				// Already out: the concurrent failures of one crash count once.
				return previous;
			}
			int inARow = (previous != null) ? previous.inARow() + 1 : 1;
			Duration time = this.properties.baseEjectionTime().multipliedBy(inARow);
			if (time.compareTo(this.properties.maxEjectionTime()) > 0) {
				time = this.properties.maxEjectionTime();
			}
			started[0] = new Ejection(now.plus(time), inARow);
			return started[0];
		});
		Ejection ejection = started[0];
		if (ejection != null) {
			this.ejectionListener.accept(instance.getServiceId());
			if (logger.isWarnEnabled()) {
				logger.warn("Ejected " + key(instance) + " until " + ejection.until() + " (ejection "
						+ ejection.inARow() + " in a row) after " + describe(failure));
			}
		}
	}

	/**
	 * A call to the instance got an answer: an instance back from its ejection is well
	 * again.
	 * @param instance the instance called
	 */
	public void succeeded(ServiceInstance instance) {
		Instant now = this.clock.instant();
		this.ejections.computeIfPresent(key(instance),
				(key, ejection) -> ejection.until().isAfter(now) ? ejection : null);
	}

	/**
	 * @param instance an instance
	 * @return whether the instance is out of the rotation now
	 */
	public boolean isEjected(ServiceInstance instance) {
		Ejection ejection = this.ejections.get(key(instance));
		return ejection != null && ejection.until().isAfter(this.clock.instant());
	}

	/**
	 * @param instances the candidates of one service
	 * @return the candidates that are not ejected, or all of them if every one is
	 */
	public List<ServiceInstance> healthy(List<ServiceInstance> instances) {
		if (this.ejections.isEmpty()) {
			return instances;
		}
		List<ServiceInstance> healthy = instances.stream().filter((instance) -> !isEjected(instance)).toList();
		return healthy.isEmpty() ? instances : healthy;
	}

	private static String key(ServiceInstance instance) {
		return instance.getServiceId() + "@" + instance.getHost() + ":" + instance.getPort();
	}

	private static String describe(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ((root.getMessage() != null) ? ": " + root.getMessage() : "");
	}

	private record Ejection(Instant until, int inARow) {
	}

}

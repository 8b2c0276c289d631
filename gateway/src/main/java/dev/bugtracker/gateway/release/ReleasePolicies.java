package dev.bugtracker.gateway.release;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policies in force, by service id: those of the configuration at start, then
 * whatever the {@code release} actuator endpoint sets. A change applies to the next
 * request.
 */
class ReleasePolicies {

	private static final Logger log = LoggerFactory.getLogger(ReleasePolicies.class);

	private final Map<String, ReleasePolicy> policies = new ConcurrentHashMap<>();

	ReleasePolicies(Map<String, ReleasePolicy> initial) {
		initial.forEach((service, policy) -> this.policies.put(key(service), policy));
	}

	@Nullable ReleasePolicy get(String service) {
		return this.policies.get(key(service));
	}

	Map<String, ReleasePolicy> all() {
		return new TreeMap<>(this.policies);
	}

	void set(String service, ReleasePolicy policy) {
		this.policies.put(key(service), policy);
		log.info("Release policy of {}: stable {}, canary {} at {} %", service, policy.stable(), policy.canary(),
				policy.canaryPercent());
	}

	void clear(String service) {
		if (this.policies.remove(key(service)) != null) {
			log.info("Release policy of {} cleared: every instance takes requests", service);
		}
	}

	// Eureka upper-cases application names; routes and people use lower case.
	private static String key(String service) {
		return service.toLowerCase(Locale.ROOT);
	}

}

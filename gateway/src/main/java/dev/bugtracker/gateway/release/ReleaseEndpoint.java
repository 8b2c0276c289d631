package dev.bugtracker.gateway.release;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/release}: reads and changes how the gateway splits each service's
 * traffic between versions. In the docker and k8s profiles the actuator listens on the
 * gateway's management port, which is not published to the world.
 *
 * <pre>
 * POST   /actuator/release/users-service {"stable": "1.4.0", "canary": "1.5.0", "canaryPercent": 10}
 * POST   /actuator/release/users-service {"stable": "1.5.0"}     (promote, or switch blue-green)
 * DELETE /actuator/release/users-service                          (every instance takes requests)
 * </pre>
 */
@Endpoint(id = "release")
class ReleaseEndpoint {

	private final ReleasePolicies policies;

	ReleaseEndpoint(ReleasePolicies policies) {
		this.policies = policies;
	}

	@ReadOperation
	Map<String, ReleasePolicy> policies() {
		return this.policies.all();
	}

	@ReadOperation
	@Nullable ReleasePolicy policy(@Selector String service) {
		return this.policies.get(service);
	}

	@WriteOperation
	ReleasePolicy change(@Selector String service, @Nullable String stable, @Nullable String canary,
			@Nullable Integer canaryPercent) {
		ReleasePolicy policy;
		try {
			policy = new ReleasePolicy(stable, canary, (canaryPercent != null) ? canaryPercent : 0);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage());
		}
		this.policies.set(service, policy);
		return policy;
	}

	@DeleteOperation
	void clear(@Selector String service) {
		this.policies.clear(service);
	}

}

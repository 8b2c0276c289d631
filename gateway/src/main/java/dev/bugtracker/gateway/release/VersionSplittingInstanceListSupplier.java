package dev.bugtracker.gateway.release;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * Narrows a service's instances to one version per request, as its {@link ReleasePolicy}
 * says: the canary for its share of requests (or when the pin header says
 * {@code always}), the stable version otherwise. The load balancer then picks among them
 * round robin. With no policy, or no live instance of the chosen version, every instance
 * is a candidate: a release setting never turns a request away.
 */
class VersionSplittingInstanceListSupplier extends DelegatingServiceInstanceListSupplier {

	private static final String VERSION_METADATA = "version";

	private final ReleasePolicies policies;

	private final String pinHeader;

	VersionSplittingInstanceListSupplier(ServiceInstanceListSupplier delegate, ReleasePolicies policies,
			String pinHeader) {
		super(delegate);
		this.policies = policies;
		this.pinHeader = pinHeader;
	}

	@Override
	public Flux<List<ServiceInstance>> get() {
		return this.delegate.get();
	}

	@Override
	public Flux<List<ServiceInstance>> get(Request request) {
		return this.delegate.get(request).map((instances) -> select(instances, pin(request)));
	}

	private @Nullable String pin(Request<?> request) {
		if (request.getContext() instanceof RequestDataContext context && context.getClientRequest() != null) {
			return context.getClientRequest().getHeaders().getFirst(this.pinHeader);
		}
		return null;
	}

	List<ServiceInstance> select(List<ServiceInstance> instances, @Nullable String pin) {
		ReleasePolicy policy = this.policies.get(getServiceId());
		if (policy == null || instances.isEmpty()) {
			return instances;
		}
		List<ServiceInstance> stable = ofVersion(instances, policy.stable());
		List<ServiceInstance> canary = (policy.canary() != null) ? ofVersion(instances, policy.canary()) : List.of();
		boolean toCanary;
		if ("always".equalsIgnoreCase(pin)) {
			toCanary = true;
		}
		else if ("never".equalsIgnoreCase(pin)) {
			toCanary = false;
		}
		else {
			toCanary = policy.canaryPercent() > 0 && ThreadLocalRandom.current().nextInt(100) < policy.canaryPercent();
		}
		List<ServiceInstance> first = toCanary ? canary : stable;
		List<ServiceInstance> second = toCanary ? stable : canary;
		if (!first.isEmpty()) {
			return first;
		}
		return second.isEmpty() ? instances : second;
	}

	private static List<ServiceInstance> ofVersion(List<ServiceInstance> instances, String version) {
		List<ServiceInstance> matching = new ArrayList<>(instances.size());
		for (ServiceInstance instance : instances) {
			if (version.equals(instance.getMetadata().get(VERSION_METADATA))) {
				matching.add(instance);
			}
		}
		return matching;
	}

}

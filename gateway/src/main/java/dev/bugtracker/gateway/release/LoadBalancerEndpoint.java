package dev.bugtracker.gateway.release;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import dev.bugtracker.loadbalancing.OutlierDetector;
import dev.bugtracker.loadbalancing.OutlierFilteringInstanceListSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;

/**
 * {@code /actuator/loadbalancer/{service}}: the instances that the gateway's load
 * balancer knows for a service right now, each with its version and whether passive
 * outlier detection has taken it out of the rotation. This is the gateway's own view,
 * after its registry fetch and its instance cache, so it answers "does the gateway send
 * requests to the instance that just started?" ({@code scripts/release.sh} waits on it
 * before it gives a new instance traffic or stops an old one). A service that the
 * registry does not know is 404.
 */
@Endpoint(id = "loadbalancer")
class LoadBalancerEndpoint {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final LoadBalancerClientFactory clients;

	private final DiscoveryClient discovery;

	private final ObjectProvider<OutlierDetector> outliers;

	LoadBalancerEndpoint(LoadBalancerClientFactory clients, DiscoveryClient discovery,
			ObjectProvider<OutlierDetector> outliers) {
		this.clients = clients;
		this.discovery = discovery;
		this.outliers = outliers;
	}

	@ReadOperation
	Mono<List<RoutedInstance>> instances(@Selector String service) {
		// Only known services: each name asked for would otherwise get a load-balancer
		// context.
		String serviceId = this.discovery.getServices()
			.stream()
			.filter(service::equalsIgnoreCase)
			.findFirst()
			.orElse(null);
		if (serviceId == null) {
			return Mono.empty();
		}
		ServiceInstanceListSupplier supplier = known(
				this.clients.getInstance(serviceId, ServiceInstanceListSupplier.class));
		if (supplier == null) {
			return Mono.empty();
		}
		OutlierDetector detector = this.outliers.getIfAvailable();
		return supplier.get()
			.next()
			.timeout(TIMEOUT)
			.map((instances) -> instances.stream()
				.map((instance) -> RoutedInstance.of(instance, detector != null && detector.isEjected(instance)))
				.sorted(Comparator.comparing(RoutedInstance::instanceId))
				.toList());
	}

	/**
	 * The supplier under the outlier filter and the version split: every instance the
	 * load balancer knows, ejected or not, of any version.
	 */
	private static @Nullable ServiceInstanceListSupplier known(@Nullable ServiceInstanceListSupplier supplier) {
		ServiceInstanceListSupplier current = supplier;
		while (current instanceof DelegatingServiceInstanceListSupplier delegating) {
			if (delegating instanceof OutlierFilteringInstanceListSupplier) {
				return delegating.getDelegate();
			}
			current = delegating.getDelegate();
		}
		return supplier;
	}

	/**
	 * One instance as the gateway sees it.
	 *
	 * @param instanceId the registry's instance id
	 * @param host the host requests go to
	 * @param port the port requests go to
	 * @param version the release it runs (metadata "version"), if it says
	 * @param ejected whether it is out of the rotation for now (its connections failed or
	 * its calls timed out)
	 */
	record RoutedInstance(String instanceId, String host, int port, @Nullable String version, boolean ejected) {

		static RoutedInstance of(ServiceInstance instance, boolean ejected) {
			String id = (instance.getInstanceId() != null) ? instance.getInstanceId()
					: instance.getHost() + ":" + instance.getPort();
			return new RoutedInstance(id, instance.getHost(), instance.getPort(), instance.getMetadata().get("version"),
					ejected);
		}

	}

}

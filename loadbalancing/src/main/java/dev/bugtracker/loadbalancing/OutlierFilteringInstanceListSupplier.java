package dev.bugtracker.loadbalancing;

import java.util.List;

import reactor.core.publisher.Flux;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * A service's instances without the ones the {@link OutlierDetector} has ejected.
 */
public class OutlierFilteringInstanceListSupplier extends DelegatingServiceInstanceListSupplier {

	private final OutlierDetector detector;

	/**
	 * @param delegate the instances to filter
	 * @param detector the ejections
	 */
	public OutlierFilteringInstanceListSupplier(ServiceInstanceListSupplier delegate, OutlierDetector detector) {
		super(delegate);
		this.detector = detector;
	}

	@Override
	public Flux<List<ServiceInstance>> get() {
		return this.delegate.get().map(this.detector::healthy);
	}

	@Override
	public Flux<List<ServiceInstance>> get(Request request) {
		return this.delegate.get(request).map(this.detector::healthy);
	}

}

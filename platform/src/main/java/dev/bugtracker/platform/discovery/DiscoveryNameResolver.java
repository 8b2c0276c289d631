package dev.bugtracker.platform.discovery;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * Resolves one service id to the gRPC addresses of its instances.
 * <p>
 * All state changes happen in gRPC's synchronization context. The lookup itself reads the
 * discovery client's local cache (Eureka keeps one), so it does not block on the network.
 */
final class DiscoveryNameResolver extends NameResolver {

	private static final Logger log = LoggerFactory.getLogger(DiscoveryNameResolver.class);

	private final String serviceId;

	private final DiscoveryClient discoveryClient;

	private final SynchronizationContext syncContext;

	private final Consumer<DiscoveryNameResolver> onShutdown;

	private final Consumer<DiscoveryNameResolver> onStart;

	private Listener2 listener;

	private List<InetSocketAddress> lastAddresses;

	DiscoveryNameResolver(String serviceId, DiscoveryClient discoveryClient, SynchronizationContext syncContext,
			Consumer<DiscoveryNameResolver> onShutdown, Consumer<DiscoveryNameResolver> onStart) {
		this.serviceId = serviceId;
		this.discoveryClient = discoveryClient;
		this.syncContext = syncContext;
		this.onShutdown = onShutdown;
		this.onStart = onStart;
	}

	@Override
	public String getServiceAuthority() {
		return this.serviceId;
	}

	@Override
	public void start(Listener2 listener) {
		this.listener = Objects.requireNonNull(listener, "listener");
		this.onStart.accept(this);
		resolve(true);
	}

	/** Called by gRPC, e.g. after a connection to one of the addresses failed. */
	@Override
	public void refresh() {
		resolve(true);
	}

	/** Called when the discovery client refreshed; tells gRPC only about real changes. */
	void refreshIfChanged() {
		this.syncContext.execute(() -> resolve(false));
	}

	@Override
	public void shutdown() {
		this.onShutdown.accept(this);
		this.listener = null;
	}

	private void resolve(boolean always) {
		if (this.listener == null) {
			return;
		}
		List<InetSocketAddress> addresses;
		try {
			addresses = lookUp();
		}
		catch (RuntimeException ex) {
			this.listener.onError(Status.UNAVAILABLE.withCause(ex)
				.withDescription("Discovery lookup of '" + this.serviceId + "' failed: " + ex.getMessage()));
			return;
		}
		if (!always && addresses.equals(this.lastAddresses)) {
			return;
		}
		this.lastAddresses = addresses;
		if (addresses.isEmpty()) {
			this.listener.onResult2(ResolutionResult.newBuilder()
				.setAddressesOrError(
						StatusOr.fromStatus(Status.UNAVAILABLE.withDescription("No instance of '" + this.serviceId
								+ "' with a '" + DiscoveryNameResolverProvider.GRPC_PORT_METADATA + "' is registered")))
				.build());
			return;
		}
		log.debug("Resolved {} to {}", this.serviceId, addresses);
		List<EquivalentAddressGroup> groups = addresses.stream().map(EquivalentAddressGroup::new).toList();
		this.listener.onResult2(ResolutionResult.newBuilder().setAddressesOrError(StatusOr.fromValue(groups)).build());
	}

	private List<InetSocketAddress> lookUp() {
		return this.discoveryClient.getInstances(this.serviceId)
			.stream()
			.map(this::grpcAddress)
			.filter(Objects::nonNull)
			.sorted((a, b) -> a.toString().compareTo(b.toString()))
			.toList();
	}

	private InetSocketAddress grpcAddress(ServiceInstance instance) {
		String port = instance.getMetadata().get(DiscoveryNameResolverProvider.GRPC_PORT_METADATA);
		if (port == null) {
			log.warn("Instance {} of {} publishes no '{}' metadata; skipping it", instance.getInstanceId(),
					this.serviceId, DiscoveryNameResolverProvider.GRPC_PORT_METADATA);
			return null;
		}
		try {
			// Instances register by IP, so this does not wait on DNS.
			return new InetSocketAddress(instance.getHost(), Integer.parseInt(port.trim()));
		}
		catch (IllegalArgumentException ex) {
			log.warn("Instance {} of {} publishes an invalid gRPC port '{}'; skipping it", instance.getInstanceId(),
					this.serviceId, port);
			return null;
		}
	}

}

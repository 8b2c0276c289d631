package dev.bugtracker.platform.discovery;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;

import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * Lets gRPC channels use targets like {@code discovery:///notificator-service}.
 * <p>
 * The addresses are the instances that the {@link DiscoveryClient} knows, each with the
 * port published in its {@code grpc-port} metadata (the instance's HTTP port is not the
 * gRPC port). Resolvers are refreshed whenever the discovery client refreshes its view,
 * so channels follow instances as they come and go; gRPC also asks for a refresh whenever
 * a connection fails.
 */
public class DiscoveryNameResolverProvider extends NameResolverProvider {

	/** The target scheme this provider resolves. */
	public static final String SCHEME = "discovery";

	/** The instance metadata key that holds the gRPC port. */
	public static final String GRPC_PORT_METADATA = "grpc-port";

	private final DiscoveryClient discoveryClient;

	private final Set<DiscoveryNameResolver> resolvers = ConcurrentHashMap.newKeySet();

	/**
	 * Create a provider backed by the given discovery client.
	 * @param discoveryClient where to look instances up
	 */
	public DiscoveryNameResolverProvider(DiscoveryClient discoveryClient) {
		this.discoveryClient = discoveryClient;
	}

	@Override
	public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
		if (!SCHEME.equals(targetUri.getScheme())) {
			return null;
		}
		String serviceId = serviceId(targetUri);
		if (serviceId.isEmpty()) {
			throw new IllegalArgumentException(
					"Target '" + targetUri + "' names no service; use " + SCHEME + ":///<service-name>");
		}
		return new DiscoveryNameResolver(serviceId, this.discoveryClient, args.getSynchronizationContext(),
				this.resolvers::remove, this.resolvers::add);
	}

	/**
	 * Ask every live resolver to look its service up again; call this when the discovery
	 * client's view may have changed.
	 */
	public void refreshAll() {
		this.resolvers.forEach(DiscoveryNameResolver::refreshIfChanged);
	}

	@Override
	public String getDefaultScheme() {
		return SCHEME;
	}

	@Override
	protected boolean isAvailable() {
		return true;
	}

	/** Below DNS (5): this provider is only ever chosen by its own scheme. */
	@Override
	protected int priority() {
		return 4;
	}

	private static String serviceId(URI targetUri) {
		String path = (targetUri.getPath() != null) ? targetUri.getPath() : "";
		String id = path.startsWith("/") ? path.substring(1) : path;
		if (id.isEmpty() && targetUri.getAuthority() != null) {
			id = targetUri.getAuthority();
		}
		return id;
	}

}

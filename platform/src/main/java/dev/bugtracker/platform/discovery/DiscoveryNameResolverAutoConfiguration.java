package dev.bugtracker.platform.discovery;

import io.grpc.NameResolverRegistry;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * Registers the {@code discovery:///} scheme with gRPC before any channel is built.
 */
@AutoConfiguration(after = { SimpleDiscoveryClientAutoConfiguration.class, UtilAutoConfiguration.class },
		afterName = { "org.springframework.cloud.netflix.eureka.EurekaClientAutoConfiguration",
				"org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration" },
		beforeName = "org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration")
@ConditionalOnClass({ NameResolverRegistry.class, DiscoveryClient.class })
@ConditionalOnBean(DiscoveryClient.class)
@EnableConfigurationProperties(ShutdownProperties.class)
public final class DiscoveryNameResolverAutoConfiguration {

	/**
	 * Leave the registry before draining, when this instance registers itself.
	 * @param registry the service registry (Eureka's is typed to its own registration
	 * class)
	 * @param registration this instance's registration
	 * @param properties the delay callers need to notice
	 * @return the lifecycle
	 */
	@Bean
	@ConditionalOnBean({ ServiceRegistry.class, Registration.class })
	@SuppressWarnings("unchecked")
	DeregisterBeforeShutdown deregisterBeforeShutdown(ServiceRegistry<?> registry, Registration registration,
			ShutdownProperties properties) {
		return new DeregisterBeforeShutdown((ServiceRegistry<Registration>) registry, registration,
				properties.deregistrationDelay());
	}

	@Bean
	DiscoveryNameResolverRegistration discoveryNameResolverRegistration(DiscoveryClient discoveryClient) {
		return new DiscoveryNameResolverRegistration(new DiscoveryNameResolverProvider(discoveryClient));
	}

	/**
	 * Keeps the provider registered in gRPC's default registry for the life of the
	 * context and refreshes its resolvers on every discovery heartbeat.
	 */
	public static final class DiscoveryNameResolverRegistration implements DisposableBean {

		private final DiscoveryNameResolverProvider provider;

		DiscoveryNameResolverRegistration(DiscoveryNameResolverProvider provider) {
			this.provider = provider;
			NameResolverRegistry.getDefaultRegistry().register(provider);
		}

		/**
		 * Return the registered provider.
		 * @return the provider
		 */
		public DiscoveryNameResolverProvider getProvider() {
			return this.provider;
		}

		@EventListener(HeartbeatEvent.class)
		void onHeartbeat() {
			this.provider.refreshAll();
		}

		@Override
		public void destroy() {
			NameResolverRegistry.getDefaultRegistry().deregister(this.provider);
		}

	}

}

package dev.bugtracker.platform.outbox;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.bugtracker.api.notificator.v1.NotificatorGrpc;
import dev.bugtracker.platform.discovery.DiscoveryNameResolverAutoConfiguration;
import dev.bugtracker.platform.discovery.DiscoveryNameResolverAutoConfiguration.DiscoveryNameResolverRegistration;
import dev.bugtracker.platform.flyway.FlywayLocations;
import dev.bugtracker.platform.security.ServiceTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.client.ChannelBuilderOptions;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.grpc.client.interceptor.security.BearerTokenAuthenticationInterceptor;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires the email outbox of a service that enables it with
 * {@code bugtracker.outbox.enabled=true}.
 */
@AutoConfiguration(after = DiscoveryNameResolverAutoConfiguration.class,
		afterName = { "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
				"org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration" })
@ConditionalOnProperty(prefix = "bugtracker.outbox", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(OutboxProperties.class)
public final class OutboxAutoConfiguration {

	/** Where the {@code email_outbox} schema lives (a repeatable Flyway migration). */
	public static final String SCHEMA_LOCATION = "classpath:db/outbox";

	/**
	 * The outbox table's schema ships with this module: add it to the service's
	 * migrations.
	 */
	@Bean
	@ConditionalOnClass(FlywayConfigurationCustomizer.class)
	FlywayConfigurationCustomizer emailOutboxSchema() {
		return FlywayLocations.adding(SCHEMA_LOCATION);
	}

	@Bean
	OutboxStore emailOutboxStore(JdbcClient jdbc, Clock clock) {
		return new OutboxStore(jdbc, clock);
	}

	@Bean
	GrpcEmailSender grpcEmailSender(OutboxProperties properties, GrpcChannelFactory channels,
			CircuitBreakerFactory<?, ?> circuitBreakers, ObjectProvider<ObservationRegistry> observations,
			ObjectProvider<DiscoveryNameResolverRegistration> discovery, ObjectProvider<ServiceTokens> tokens,
			ListableBeanFactory beans) {
		// The discovery:/// scheme must be registered before the channel resolves its
		// target.
		discovery.ifAvailable((registration) -> {
		});
		// notificator takes calls from services with a token only: every call carries
		// this service's (fetched or renewed as it expires, so the outbox keeps working
		// across expiry; a call that cannot get one fails and is retried like any other).
		// Looked up at the first call, not now: the service's tokens may depend on beans
		// that depend on the outbox (users-service signs its own).
		ChannelBuilderOptions options = ChannelBuilderOptions.defaults();
		if (beans.getBeanNamesForType(ServiceTokens.class).length > 0) {
			options = options.withInterceptors(
					List.of(new BearerTokenAuthenticationInterceptor(() -> tokens.getObject().accessToken())));
		}
		NotificatorGrpc.NotificatorBlockingStub stub = NotificatorGrpc
			.newBlockingStub(channels.createChannel(properties.channel(), options));
		return new GrpcEmailSender(stub, circuitBreakers.create(properties.circuitBreaker()), properties.deadline(),
				observations.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

	@Bean
	OutboxRelay emailOutboxRelay(OutboxStore store, GrpcEmailSender sender, OutboxProperties properties,
			MeterRegistry meters, Clock clock) {
		return new OutboxRelay(store, sender, properties, clock, meters);
	}

	@Bean
	EmailOutbox emailOutbox(OutboxStore store, OutboxRelay relay, ObjectProvider<Tracer> tracer,
			ObjectProvider<Propagator> propagator) {
		return new JdbcEmailOutbox(store, relay, traceContext(tracer, propagator));
	}

	/**
	 * The W3C headers of the current span, so the delivery joins the trace that caused
	 * it.
	 */
	private static Supplier<Map<String, String>> traceContext(ObjectProvider<Tracer> tracers,
			ObjectProvider<Propagator> propagators) {
		return () -> {
			Tracer tracer = tracers.getIfAvailable();
			Propagator propagator = propagators.getIfAvailable();
			Span span = (tracer != null) ? tracer.currentSpan() : null;
			Map<String, String> headers = new HashMap<>();
			if (span != null && propagator != null) {
				propagator.inject(span.context(), headers, Map::put);
			}
			return headers;
		};
	}

}

package dev.bugtracker.platform.resilience;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextSnapshotFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JCircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Runs what a circuit breaker guards in the caller's context. With a time limiter, Spring
 * Cloud CircuitBreaker runs the call on a thread of its own pool, where the caller's
 * observation (and with it the trace, and the trace ids in the logs) is not current: a
 * Feign call behind the breaker was a trace of its own, detached from the request that
 * made it. This pool captures the caller's thread-local context (every accessor
 * registered with Micrometer's context propagation: the current observation, and through
 * it the span and the logging MDC) when the call is submitted, and restores it on the
 * thread that runs it.
 */
@AutoConfiguration
@ConditionalOnClass({ Resilience4JCircuitBreakerFactory.class, ContextExecutorService.class })
public class CircuitBreakerContextAutoConfiguration {

	/**
	 * The threads the guarded calls run on: created on demand and kept for a minute when
	 * idle, as in Spring Cloud CircuitBreaker's own default, but named, daemon, and shut
	 * down with the application context. Not an {@code ExecutorService} bean: one would
	 * make Spring Boot back off from its own task executor.
	 * @return the customizer that gives the breakers this pool
	 */
	@Bean
	ContextPropagatingExecutor circuitBreakerContextPropagation() {
		return new ContextPropagatingExecutor();
	}

	static final class ContextPropagatingExecutor
			implements Customizer<Resilience4JCircuitBreakerFactory>, DisposableBean {

		private final ExecutorService executor = ContextExecutorService.wrap(
				Executors.newCachedThreadPool(daemonThreads("circuit-breaker-")),
				ContextSnapshotFactory.builder().build()::captureAll);

		@Override
		public void customize(Resilience4JCircuitBreakerFactory factory) {
			factory.configureExecutorService(this.executor);
			// Breakers created with a group get their executor from this.
			factory.configureGroupExecutorService((group) -> this.executor);
		}

		@Override
		public void destroy() {
			this.executor.shutdown();
		}

		boolean isShutdown() {
			return this.executor.isShutdown();
		}

		private static ThreadFactory daemonThreads(String prefix) {
			CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
			threads.setDaemon(true);
			return threads;
		}

	}

}

package dev.bugtracker.platform.discovery;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;

import static org.assertj.core.api.Assertions.assertThat;

class DeregisterBeforeShutdownTest {

	private final RecordingRegistry registry = new RecordingRegistry();

	private final Registration registration = new TestRegistration();

	@Test
	void leavesTheRegistryWithoutAStatusOverrideThatWouldOutliveTheInstance() {
		DeregisterBeforeShutdown lifecycle = new DeregisterBeforeShutdown(this.registry, this.registration,
				Duration.ZERO);
		lifecycle.start();
		assertThat(lifecycle.isRunning()).isTrue();

		lifecycle.stop();

		assertThat(this.registry.calls).containsExactly("deregister users-service:127.0.0.1:8080");
		assertThat(lifecycle.isRunning()).isFalse();
	}

	@Test
	void aRegistryThatCannotBeReachedDoesNotStopTheShutdown() {
		this.registry.failing = true;
		DeregisterBeforeShutdown lifecycle = new DeregisterBeforeShutdown(this.registry, this.registration,
				Duration.ofDays(1));
		lifecycle.start();

		lifecycle.stop(); // returns at once instead of waiting a day for callers that
							// never heard

		assertThat(this.registry.calls).containsExactly("deregister users-service:127.0.0.1:8080");
		assertThat(lifecycle.isRunning()).isFalse();
	}

	@Test
	void stopsBeforeTheWebServerDrains() {
		DeregisterBeforeShutdown lifecycle = new DeregisterBeforeShutdown(this.registry, this.registration,
				Duration.ZERO);
		assertThat(lifecycle.getPhase()).isGreaterThan(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE);
	}

	private static final class RecordingRegistry implements ServiceRegistry<Registration> {

		private final List<String> calls = new ArrayList<>();

		private boolean failing;

		@Override
		public void register(Registration registration) {
			this.calls.add("register " + registration.getInstanceId());
		}

		@Override
		public void deregister(Registration registration) {
			this.calls.add("deregister " + registration.getInstanceId());
			if (this.failing) {
				throw new IllegalStateException("registry unreachable");
			}
		}

		@Override
		public void close() {
			this.calls.add("close");
		}

		@Override
		public void setStatus(Registration registration, String status) {
			this.calls.add("setStatus " + registration.getInstanceId() + " " + status);
		}

		@Override
		public <T> T getStatus(Registration registration) {
			return null;
		}

	}

	private static final class TestRegistration implements Registration {

		@Override
		public String getInstanceId() {
			return "users-service:127.0.0.1:8080";
		}

		@Override
		public String getServiceId() {
			return "users-service";
		}

		@Override
		public String getHost() {
			return "127.0.0.1";
		}

		@Override
		public int getPort() {
			return 8080;
		}

		@Override
		public boolean isSecure() {
			return false;
		}

		@Override
		public URI getUri() {
			return URI.create("http://127.0.0.1:8080");
		}

		@Override
		public Map<String, String> getMetadata() {
			return Map.of();
		}

	}

}

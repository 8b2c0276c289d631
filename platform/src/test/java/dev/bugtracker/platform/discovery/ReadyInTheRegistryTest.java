package dev.bugtracker.platform.discovery;

import com.netflix.appinfo.ApplicationInfoManager;
import com.netflix.appinfo.InstanceInfo;
import com.netflix.appinfo.InstanceInfo.InstanceStatus;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;

import static org.assertj.core.api.Assertions.assertThat;

class ReadyInTheRegistryTest {

	private final ApplicationInfoManager instance = new ApplicationInfoManager(null,
			InstanceInfo.Builder.newBuilder()
				.setAppName("users-service")
				.setInstanceId("users-service:127.0.0.1:8800")
				.setHostName("127.0.0.1")
				.setStatus(InstanceStatus.STARTING)
				.build(),
			null);

	private final ReadyInTheRegistry listener = listener(this.instance);

	@Test
	void aStartingInstanceTurnsUpWhenItIsReadyAndNotBefore() {
		this.listener.onApplicationEvent(new AvailabilityChangeEvent<>(this, ReadinessState.REFUSING_TRAFFIC));
		assertThat(this.instance.getInfo().getStatus()).isEqualTo(InstanceStatus.STARTING);

		this.listener.onApplicationEvent(new AvailabilityChangeEvent<>(this, ReadinessState.ACCEPTING_TRAFFIC));

		assertThat(this.instance.getInfo().getStatus()).isEqualTo(InstanceStatus.UP);
	}

	@Test
	void anInstanceThatIsLeavingStaysDown() {
		this.instance.setInstanceStatus(InstanceStatus.DOWN);

		this.listener.onApplicationEvent(new AvailabilityChangeEvent<>(this, ReadinessState.ACCEPTING_TRAFFIC));

		assertThat(this.instance.getInfo().getStatus()).isEqualTo(InstanceStatus.DOWN);
	}

	@Test
	void withoutEurekaNothingHappens() {
		ReadyInTheRegistry alone = new ReadyInTheRegistry(
				new StaticListableBeanFactory().getBeanProvider(ApplicationInfoManager.class));

		alone.onApplicationEvent(new AvailabilityChangeEvent<>(this, ReadinessState.ACCEPTING_TRAFFIC));
	}

	private static ReadyInTheRegistry listener(ApplicationInfoManager instance) {
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("applicationInfoManager", instance);
		return new ReadyInTheRegistry(beans.getBeanProvider(ApplicationInfoManager.class));
	}

}

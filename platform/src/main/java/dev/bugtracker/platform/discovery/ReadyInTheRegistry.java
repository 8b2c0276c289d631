package dev.bugtracker.platform.discovery;

import com.netflix.appinfo.ApplicationInfoManager;
import com.netflix.appinfo.InstanceInfo.InstanceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;

/**
 * Turns this instance {@code UP} in Eureka when it is ready to take traffic. The services
 * register as {@code STARTING} ({@code eureka.instance.initial-status}), which callers
 * skip: Spring Cloud registers an instance as soon as its web server listens, before the
 * application runners (the {@code WarmUp}) have run, and a caller that found it then
 * would send requests to an instance that is not ready.
 * <p>
 * The status is the instance's own ({@link ApplicationInfoManager#setInstanceStatus}),
 * sent with its next registration at once, not a status override kept by the registry
 * under the instance's id (see {@link DeregisterBeforeShutdown}). Only {@code STARTING}
 * becomes {@code UP}: an instance that is leaving stays {@code DOWN}.
 */
public class ReadyInTheRegistry implements ApplicationListener<AvailabilityChangeEvent<?>> {

	private static final Logger log = LoggerFactory.getLogger(ReadyInTheRegistry.class);

	private final ObjectProvider<ApplicationInfoManager> instances;

	/**
	 * @param instances this instance's registration with Eureka, where there is one
	 */
	public ReadyInTheRegistry(ObjectProvider<ApplicationInfoManager> instances) {
		this.instances = instances;
	}

	@Override
	public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
		if (event.getState() != ReadinessState.ACCEPTING_TRAFFIC) {
			return;
		}
		ApplicationInfoManager instance = this.instances.getIfAvailable();
		if (instance != null && instance.getInfo().getStatus() == InstanceStatus.STARTING) {
			instance.setInstanceStatus(InstanceStatus.UP);
			log.info("Ready: {} is UP in the registry", instance.getInfo().getInstanceId());
		}
	}

}

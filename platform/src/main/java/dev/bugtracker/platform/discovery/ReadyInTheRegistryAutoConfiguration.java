package dev.bugtracker.platform.discovery;

import com.netflix.appinfo.ApplicationInfoManager;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * An instance that registers with Eureka turns {@code UP} when it is ready
 * ({@link ReadyInTheRegistry}).
 */
@AutoConfiguration
@ConditionalOnClass(ApplicationInfoManager.class)
public final class ReadyInTheRegistryAutoConfiguration {

	@Bean
	ReadyInTheRegistry readyInTheRegistry(ObjectProvider<ApplicationInfoManager> instances) {
		return new ReadyInTheRegistry(instances);
	}

}

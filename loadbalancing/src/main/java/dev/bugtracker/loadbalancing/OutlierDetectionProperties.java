package dev.bugtracker.loadbalancing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Passive outlier detection of load-balanced instances.
 *
 * @param enabled whether an instance whose connection fails leaves the rotation
 * @param baseEjectionTime how long an instance stays out after its first connection
 * failure; each further ejection in a row lasts one more of these
 * @param maxEjectionTime the longest an instance stays out, however often it failed
 */
@ConfigurationProperties("bugtracker.loadbalancer.outlier-detection")
public record OutlierDetectionProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("5s") Duration baseEjectionTime, @DefaultValue("30s") Duration maxEjectionTime) {

}

package dev.bugtracker.gateway.release;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Release routing of the gateway.
 *
 * @param pinHeader the request header that pins a request to the canary ({@code always})
 * or to the stable version ({@code never})
 * @param services the policy each service starts with, by service id; a service without
 * one spreads its requests over all its instances, whatever their version
 */
@ConfigurationProperties("bugtracker.release")
public record ReleaseProperties(@DefaultValue("X-Canary") String pinHeader,
		@DefaultValue Map<String, ReleasePolicy> services) {

}

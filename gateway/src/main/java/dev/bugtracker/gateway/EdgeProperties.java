package dev.bugtracker.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Rules the gateway applies to every request before it is routed.
 *
 * @param maxRequestBody largest declared request body; larger ones get 413
 */
@ConfigurationProperties("bugtracker.gateway")
record EdgeProperties(@DefaultValue("1MB") DataSize maxRequestBody) {
}

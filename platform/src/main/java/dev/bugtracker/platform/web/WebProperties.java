package dev.bugtracker.platform.web;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the shared HTTP edge rules.
 *
 * @param formEncodedJsonPaths exact paths where a POST sent as
 * {@code application/x-www-form-urlencoded} is read as JSON, as {@code curl -d '{...}'}
 * sends it
 * @param maxRequestBody largest request body accepted; bigger bodies get 413
 */
@ConfigurationProperties("bugtracker.web")
public record WebProperties(@DefaultValue List<String> formEncodedJsonPaths,
		@DefaultValue("64KB") DataSize maxRequestBody) {
}

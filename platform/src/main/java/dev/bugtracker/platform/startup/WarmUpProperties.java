package dev.bugtracker.platform.startup;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The requests a service sends itself before it reports ready ({@link WarmUp}).
 *
 * @param enabled whether to warm up at all
 * @param rounds how many times to send the whole list
 * @param maxDuration when to stop, however many rounds are left: on a saturated machine
 * the start is long enough already
 * @param requests what to send: requests without side effects that run the code of the
 * service's hot paths (a read of a missing row, a write refused by validation)
 */
@ConfigurationProperties("bugtracker.warm-up")
public record WarmUpProperties(@DefaultValue("true") boolean enabled, @DefaultValue("20") int rounds,
		@DefaultValue("30s") Duration maxDuration, @DefaultValue List<Request> requests) {

	/**
	 * One request.
	 *
	 * @param method the HTTP method: GET, POST, PUT, DELETE, HEAD or OPTIONS (what
	 * {@link java.net.HttpURLConnection} sends; another one ends the warm-up)
	 * @param path the path and query, from the root
	 * @param body a JSON body, or null
	 */
	public record Request(@DefaultValue("GET") String method, String path, @Nullable String body) {
	}

}

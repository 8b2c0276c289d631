package dev.bugtracker.platform.startup;

import org.springframework.boot.SpringApplication;

/**
 * Starts a service, and makes one that cannot start exit. Spring Boot reports a failed
 * start and closes the context, but the JVM only ends when its last non-daemon thread
 * does, and libraries start such threads before the failure (Spring Security's
 * {@code JdbcOneTimeTokenService} schedules its cleanup from its constructor, and is not
 * stopped again): a service without a required secret would hang instead of exiting, and
 * its container would never be restarted or its failure noticed.
 */
public final class Startup {

	private Startup() {
	}

	/**
	 * @param application the service's application class
	 * @param args its arguments
	 */
	public static void run(Class<?> application, String[] args) {
		try {
			SpringApplication.run(application, args);
		}
		catch (SpringApplication.AbandonedRunException ex) {
			// Not a failure: a run stopped on purpose (spring.context.exit=onRefresh, the
			// training run for class data sharing).
			throw ex;
		}
		catch (RuntimeException | Error ex) {
			// Already reported by Spring Boot.
			System.exit(1);
		}
	}

}

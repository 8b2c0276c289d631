package dev.bugtracker.notificator;

import dev.bugtracker.platform.startup.Startup;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * notificator-service: records and delivers notifications; reachable over gRPC only.
 */
@SpringBootApplication
public class NotificatorApplication {

	public static void main(String[] args) {
		Startup.run(NotificatorApplication.class, args);
	}

}

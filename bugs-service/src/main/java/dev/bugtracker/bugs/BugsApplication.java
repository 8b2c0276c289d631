package dev.bugtracker.bugs;

import dev.bugtracker.platform.startup.Startup;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * bugs-service: tracks bugs.
 */
@SpringBootApplication
public class BugsApplication {

	public static void main(String[] args) {
		Startup.run(BugsApplication.class, args);
	}

}

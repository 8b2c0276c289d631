package dev.bugtracker.bugs;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * bugs-service: tracks bugs.
 */
@SpringBootApplication
public class BugsApplication {

	public static void main(String[] args) {
		SpringApplication.run(BugsApplication.class, args);
	}

}

package dev.bugtracker.users;

import dev.bugtracker.platform.startup.Startup;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * users-service: registers users and welcomes them by email.
 */
@SpringBootApplication
public class UsersApplication {

	public static void main(String[] args) {
		Startup.run(UsersApplication.class, args);
	}

}

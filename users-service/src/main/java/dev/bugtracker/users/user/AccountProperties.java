package dev.bugtracker.users.user;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Accounts: who the first admins are and how long a set-password link works.
 *
 * @param admins the email addresses of the accounts that are admins by configuration (the
 * first admins; more are granted through the API), in any case
 * @param passwordLinkValidity how long the link of a welcome email sets the password
 * @param publicUrl where people reach the system (the gateway): the links in emails point
 * there
 */
@ConfigurationProperties("bugtracker.security")
public record AccountProperties(@DefaultValue List<String> admins, @DefaultValue("24h") Duration passwordLinkValidity,
		@DefaultValue("http://localhost:8080") URI publicUrl) {

	boolean isAdmin(String email) {
		return this.admins.stream().anyMatch((admin) -> EmailAddress.of(admin).value().equals(email));
	}

}

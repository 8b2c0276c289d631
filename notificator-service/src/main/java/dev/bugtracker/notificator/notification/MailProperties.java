package dev.bugtracker.notificator.notification;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How notificator sends email.
 *
 * @param from the sender of every email
 * @param directory where emails are written as {@code .eml} files when no SMTP host
 * ({@code spring.mail.host}) is configured
 */
@ConfigurationProperties("bugtracker.notificator.mail")
record MailProperties(@DefaultValue("Bugtracker <noreply@bugtracker.local>") String from,
		@DefaultValue("var/mail") Path directory) {
}

package dev.bugtracker.notificator.notification;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Chooses the mail transport: SMTP when {@code spring.mail.host} is set (Spring Boot then
 * provides a {@link JavaMailSender}), {@code .eml} files otherwise.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MailProperties.class)
class MailConfiguration {

	private static final Logger log = LoggerFactory.getLogger(MailConfiguration.class);

	@Bean
	MailDelivery mailDelivery(ObjectProvider<JavaMailSender> smtp, MailProperties properties) {
		JavaMailSender sender = smtp.getIfAvailable();
		if (sender != null) {
			log.info("Delivering email by SMTP");
			return new SmtpMailDelivery(sender, properties.from());
		}
		log.info("No spring.mail.host set: writing emails as .eml files to {}",
				properties.directory().toAbsolutePath().normalize());
		return new EmlFileMailDelivery(properties.directory(), properties.from());
	}

}

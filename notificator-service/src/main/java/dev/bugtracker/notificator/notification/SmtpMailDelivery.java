package dev.bugtracker.notificator.notification;

import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Delivers by SMTP, through the {@link JavaMailSender} that Spring Boot configures from
 * {@code spring.mail.*}.
 */
class SmtpMailDelivery implements MailDelivery {

	private final JavaMailSender sender;

	private final String from;

	SmtpMailDelivery(JavaMailSender sender, String from) {
		this.sender = sender;
		this.from = from;
	}

	@Override
	public void deliver(Notification notification) {
		try {
			this.sender.send((message) -> MimeMessages.fill(message, notification, this.from));
		}
		catch (MailException ex) {
			throw new MailDeliveryException("SMTP delivery failed: " + ex.getMessage(), ex);
		}
	}

	@Override
	public String transport() {
		return "smtp";
	}

}

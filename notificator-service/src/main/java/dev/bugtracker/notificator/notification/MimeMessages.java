package dev.bugtracker.notificator.notification;

import java.nio.charset.StandardCharsets;
import java.util.Date;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * Fills a MIME message from a notification, the same way for SMTP and for files.
 */
final class MimeMessages {

	private MimeMessages() {
	}

	static void fill(MimeMessage message, Notification notification, String from) throws MessagingException {
		message.setFrom(new InternetAddress(from, true));
		message.setRecipient(Message.RecipientType.TO, new InternetAddress(notification.recipient(), true));
		message.setSubject(notification.subject(), StandardCharsets.UTF_8.name());
		message.setText(notification.body(), StandardCharsets.UTF_8.name());
		message.setSentDate(new Date());
		message.setHeader("X-Notification-Id", notification.id().toString());
		message.setHeader("X-Idempotency-Key", notification.idempotencyKey());
	}

}

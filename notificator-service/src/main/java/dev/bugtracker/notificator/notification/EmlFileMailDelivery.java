package dev.bugtracker.notificator.notification;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * The zero-install default: writes each email as an RFC 822 {@code .eml} file that any
 * mail client opens. Files appear complete or not at all (written aside, then moved into
 * place).
 */
class EmlFileMailDelivery implements MailDelivery {

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
		.withZone(ZoneOffset.UTC);

	private final Path directory;

	private final String from;

	private final Session session = Session.getInstance(new Properties());

	EmlFileMailDelivery(Path directory, String from) {
		this.directory = directory;
		this.from = from;
	}

	@Override
	public void deliver(Notification notification) {
		try {
			Files.createDirectories(this.directory);
			MimeMessage message = new MimeMessage(this.session);
			MimeMessages.fill(message, notification, this.from);
			message.saveChanges();
			String name = STAMP.format(notification.createdAt()) + "-" + notification.id() + ".eml";
			Path partial = this.directory.resolve("." + name + ".part");
			try (OutputStream out = Files.newOutputStream(partial)) {
				message.writeTo(out);
			}
			Files.move(partial, this.directory.resolve(name), StandardCopyOption.ATOMIC_MOVE,
					StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException | MessagingException ex) {
			throw new MailDeliveryException("Could not write email to " + this.directory + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public String transport() {
		return "file";
	}

}

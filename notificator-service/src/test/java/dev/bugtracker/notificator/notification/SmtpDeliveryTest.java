package dev.bugtracker.notificator.notification;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.bugtracker.platform.test.EmbeddedPostgresTestConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Delivery by SMTP to a real SMTP server (GreenMail), including an outage of that server.
 */
@SpringBootTest(properties = { "eureka.client.enabled=false", "spring.grpc.server.port=0", "spring.mail.host=127.0.0.1",
		"spring.mail.properties.mail.smtp.connectiontimeout=2000" })
@Import(EmbeddedPostgresTestConfiguration.class)
class SmtpDeliveryTest {

	private static final ServerSetup SMTP = new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);

	private static GreenMail smtp = started();

	@Autowired
	private NotificationService notifications;

	@Autowired
	private MeterRegistry meters;

	@DynamicPropertySource
	static void smtpPort(DynamicPropertyRegistry properties) {
		properties.add("spring.mail.port", () -> SMTP.getPort());
	}

	@AfterAll
	static void stopSmtp() {
		smtp.stop();
	}

	@Test
	void deliversBySmtp() throws Exception {
		SendResult result = this.notifications
			.send(EmailRequest.of("someone@example.com", "[BUG-1] Hello", "Body text", "smtp:1"));

		await().atMost(Duration.ofSeconds(5))
			.until(() -> smtp.getReceivedMessagesForDomain("someone@example.com").length == 1);
		MimeMessage received = smtp.getReceivedMessagesForDomain("someone@example.com")[0];
		assertThat(received.getSubject()).isEqualTo("[BUG-1] Hello");
		assertThat(received.getHeader("X-Notification-Id")[0]).isEqualTo(result.id().toString());
	}

	@Test
	void reportsAnSmtpOutageAndDeliversOnRetryWithTheSameId() throws Exception {
		smtp.stop();
		double accepted = emails("accepted");
		double failed = emails("failed");
		double delivered = emails("delivered");
		EmailRequest request = EmailRequest.of("outage@example.com", "Hi", "Body", "smtp:outage");
		assertThatExceptionOfType(MailDeliveryException.class).isThrownBy(() -> this.notifications.send(request));
		assertThat(emails("accepted")).isEqualTo(accepted + 1);
		assertThat(emails("failed")).isEqualTo(failed + 1);
		assertThat(emails("delivered")).isEqualTo(delivered);

		smtp = started();
		SendResult retried = this.notifications.send(request);

		assertThat(retried.duplicate()).isTrue();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> smtp.getReceivedMessagesForDomain("outage@example.com").length == 1);
		SendResult again = this.notifications.send(request);
		assertThat(again.id()).isEqualTo(retried.id());
		assertThat(smtp.getReceivedMessagesForDomain("outage@example.com")).hasSize(1);
		// The retry was accepted before, and the repeat after delivery delivers nothing.
		assertThat(emails("accepted")).isEqualTo(accepted + 1);
		assertThat(emails("delivered")).isEqualTo(delivered + 1);
	}

	private double emails(String outcome) {
		return this.meters.get("bugtracker.emails").tag("outcome", outcome).counter().count();
	}

	private static GreenMail started() {
		GreenMail server = new GreenMail(SMTP);
		server.start();
		return server;
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

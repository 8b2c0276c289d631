package dev.bugtracker.notificator.notification.grpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.google.rpc.BadRequest;
import dev.bugtracker.api.notificator.v1.NotificatorGrpc;
import dev.bugtracker.api.notificator.v1.SendEmailReply;
import dev.bugtracker.api.notificator.v1.SendEmailRequest;
import dev.bugtracker.platform.test.EmbeddedPostgresTestConfiguration;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The gRPC contract of notificator over the in-process transport, with the real service,
 * its PostgreSQL schema and .eml delivery.
 */
@SpringBootTest(properties = { "eureka.client.enabled=false", "spring.grpc.server.port=0",
		"spring.grpc.server.inprocess.name=" + NotificatorGrpcTest.SERVER })
@Import(EmbeddedPostgresTestConfiguration.class)
class NotificatorGrpcTest {

	static final String SERVER = "notificator-grpc-test";

	@TempDir
	static Path mail;

	private ManagedChannel channel;

	private NotificatorGrpc.NotificatorBlockingStub notificator;

	@DynamicPropertySource
	static void mailDirectory(DynamicPropertyRegistry properties) {
		properties.add("bugtracker.notificator.mail.directory", () -> mail.toString());
	}

	@BeforeEach
	void connect() {
		this.channel = InProcessChannelBuilder.forName(SERVER).build();
		this.notificator = NotificatorGrpc.newBlockingStub(this.channel).withDeadlineAfter(10, TimeUnit.SECONDS);
	}

	@AfterEach
	void disconnect() throws InterruptedException {
		this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

	@Test
	void sendsAnEmailAsAnEmlFile() throws IOException {
		String key = "test:" + UUID.randomUUID();
		SendEmailReply reply = this.notificator.sendEmail(request(key, "someone@example.com", "Hello there"));

		assertThat(UUID.fromString(reply.getId())).isNotNull();
		assertThat(reply.getDuplicate()).isFalse();
		List<String> emails = emailsWithKey(key);
		assertThat(emails).hasSize(1);
		assertThat(emails.get(0)).contains("To: someone@example.com", "Subject: Welcome", "Hello there",
				"X-Notification-Id: " + reply.getId());
	}

	@Test
	void sendsOnceAndAnswersWithTheSameIdForARepeatedKey() throws IOException {
		String key = "test:" + UUID.randomUUID();
		SendEmailReply first = this.notificator.sendEmail(request(key, "someone@example.com", "Body"));
		SendEmailReply second = this.notificator.sendEmail(request(key, "someone@example.com", "Body"));

		assertThat(second.getId()).isEqualTo(first.getId());
		assertThat(second.getDuplicate()).isTrue();
		assertThat(emailsWithKey(key)).hasSize(1);
	}

	@Test
	void refusesAKeyReusedForADifferentEmailWithAlreadyExists() {
		String key = "test:" + UUID.randomUUID();
		this.notificator.sendEmail(request(key, "someone@example.com", "Body"));

		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.notificator.sendEmail(request(key, "someone@example.com", "Other body")))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
	}

	@Test
	void rejectsABadAddressWithInvalidArgumentNamingTheField() {
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.notificator.sendEmail(request("test:bad", "test", "Body")))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
				BadRequest details = StatusProto.fromThrowable(ex).getDetails(0).unpack(BadRequest.class);
				assertThat(details.getFieldViolations(0).getField()).isEqualTo("email");
			});
	}

	@Test
	void rejectsAMissingIdempotencyKeyWithInvalidArgument() {
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.notificator.sendEmail(request("", "someone@example.com", "Body")))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
			.withMessageContaining("idempotency_key");
	}

	@Test
	void servesTheStandardHealthService() {
		HealthCheckResponse health = HealthGrpc.newBlockingStub(this.channel)
			.withDeadlineAfter(5, TimeUnit.SECONDS)
			.check(HealthCheckRequest.newBuilder().setService("").build());

		assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
	}

	private static SendEmailRequest request(String key, String email, String content) {
		return SendEmailRequest.newBuilder()
			.setEmail(email)
			.setSubject("Welcome")
			.setContent(content)
			.setIdempotencyKey(key)
			.build();
	}

	private static List<String> emailsWithKey(String key) throws IOException {
		try (Stream<Path> files = Files.list(mail)) {
			return files.filter((file) -> file.toString().endsWith(".eml")).map((file) -> {
				try {
					return Files.readString(file);
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			}).filter((eml) -> eml.contains("X-Idempotency-Key: " + key)).toList();
		}
	}

}

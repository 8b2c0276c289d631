package dev.bugtracker.notificator.notification.grpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.google.rpc.BadRequest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import dev.bugtracker.api.notificator.v1.NotificatorGrpc;
import dev.bugtracker.api.notificator.v1.SendEmailReply;
import dev.bugtracker.api.notificator.v1.SendEmailRequest;
import dev.bugtracker.platform.security.AccessTokenDecoders;
import dev.bugtracker.platform.security.Audiences;
import dev.bugtracker.platform.test.EmbeddedPostgresTestConfiguration;
import io.grpc.ClientInterceptor;
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
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.grpc.client.interceptor.security.BearerTokenAuthenticationInterceptor;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
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
@Import({ EmbeddedPostgresTestConfiguration.class, NotificatorGrpcTest.Keys.class })
class NotificatorGrpcTest {

	static final String SERVER = "notificator-grpc-test";

	/** The authorization server's key in these tests. */
	static final RSAKey KEY = generateKey();

	static final String ISSUER = "http://localhost:8080";

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
		this.notificator = NotificatorGrpc.newBlockingStub(this.channel)
			.withInterceptors(bearer(token(KEY, ISSUER, "notifications:send", Duration.ofMinutes(5))))
			.withDeadlineAfter(10, TimeUnit.SECONDS);
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

	@Test
	void sendsOnlyForAServiceTokenWithTheScope() {
		SendEmailRequest request = request("test:" + UUID.randomUUID(), "someone@example.com", "Body");
		assertThat(refusal(NotificatorGrpc.newBlockingStub(this.channel), request)).as("no token")
			.isEqualTo(Status.Code.UNAUTHENTICATED);
		assertThat(refusal(stub(bearer("not-a-token")), request)).as("malformed")
			.isEqualTo(Status.Code.UNAUTHENTICATED);
		assertThat(refusal(stub(bearer(token(KEY, ISSUER, "notifications:send", Duration.ofSeconds(-120)))), request))
			.as("expired")
			.isEqualTo(Status.Code.UNAUTHENTICATED);
		assertThat(refusal(stub(bearer(token(generateKey(), ISSUER, "notifications:send", Duration.ofMinutes(5)))),
				request))
			.as("signed by an unknown key")
			.isEqualTo(Status.Code.UNAUTHENTICATED);
		assertThat(refusal(
				stub(bearer(token(KEY, "http://elsewhere.example.com", "notifications:send", Duration.ofMinutes(5)))),
				request))
			.as("another issuer")
			.isEqualTo(Status.Code.UNAUTHENTICATED);
		assertThat(refusal(
				stub(bearer(token(KEY, ISSUER, "notifications:send", Duration.ofMinutes(5), List.of("users-service")))),
				request))
			.as("for another service")
			.isEqualTo(Status.Code.UNAUTHENTICATED);
		assertThat(
				refusal(stub(bearer(token(KEY, ISSUER, "notifications:send", Duration.ofMinutes(5), Audiences.PEOPLE))),
						request))
			.as("a person's token")
			.isEqualTo(Status.Code.UNAUTHENTICATED);
		assertThat(refusal(stub(bearer(token(KEY, ISSUER, "bugs:write", Duration.ofMinutes(5)))), request))
			.as("without the scope")
			.isEqualTo(Status.Code.PERMISSION_DENIED);
		assertThat(emailsWithKey(request.getIdempotencyKey())).as("nothing was sent").isEmpty();
	}

	private NotificatorGrpc.NotificatorBlockingStub stub(ClientInterceptor credentials) {
		return NotificatorGrpc.newBlockingStub(this.channel)
			.withInterceptors(credentials)
			.withDeadlineAfter(10, TimeUnit.SECONDS);
	}

	private static Status.Code refusal(NotificatorGrpc.NotificatorBlockingStub stub, SendEmailRequest request) {
		try {
			stub.sendEmail(request);
			return Status.Code.OK;
		}
		catch (StatusRuntimeException ex) {
			return ex.getStatus().getCode();
		}
	}

	private static ClientInterceptor bearer(String token) {
		return new BearerTokenAuthenticationInterceptor(token);
	}

	/** A service's access token, as users-service's authorization server signs them. */
	private static String token(RSAKey key, String issuer, String scope, Duration validFor) {
		return token(key, issuer, scope, validFor, List.of("notificator-service"));
	}

	private static String token(RSAKey key, String issuer, String scope, Duration validFor, List<String> audience) {
		Instant now = Instant.now();
		Instant expiresAt = now.plus(validFor);
		Instant issuedAt = validFor.isNegative() ? expiresAt.minus(Duration.ofMinutes(5)) : now;
		JwtEncoder encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key)));
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer(issuer)
			.subject("bugs-service")
			.audience(audience)
			.issuedAt(issuedAt)
			.expiresAt(expiresAt)
			.claim("scope", List.of(scope))
			.build();
		return encoder
			.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).keyId(key.getKeyID()).build(),
					claims))
			.getTokenValue();
	}

	private static RSAKey generateKey() {
		try {
			return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The keys of the authorization server, which the real decoder fetches from
	 * users-service: here the test's own, with the same checks (signature, issuer,
	 * audience, expiry).
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class Keys {

		@Bean
		@Primary
		JwtDecoder testTokens() throws JOSEException {
			NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(KEY.toRSAPublicKey()).build();
			decoder.setJwtValidator(AccessTokenDecoders.validator(ISSUER, "notificator-service"));
			return decoder;
		}

	}

	private static SendEmailRequest request(String key, String email, String content) {
		return SendEmailRequest.newBuilder()
			.setEmail(email)
			.setSubject("Welcome")
			.setContent(content)
			.setIdempotencyKey(key)
			.build();
	}

	private static List<String> emailsWithKey(String key) {
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
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

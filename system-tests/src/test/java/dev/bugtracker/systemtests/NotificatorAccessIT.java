package dev.bugtracker.systemtests;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.bugtracker.api.notificator.v1.NotificatorGrpc;
import dev.bugtracker.api.notificator.v1.SendEmailRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * notificator's gRPC port, called by an outsider who can reach it: without a service's
 * token nothing is sent ({@code UNAUTHENTICATED}), and a user's token, even a valid one,
 * lacks the scope ({@code PERMISSION_DENIED}). The services' own calls carry their
 * tokens: the welcome email of a new user still arrives.
 */
@ExtendWith(StackExtension.class)
class NotificatorAccessIT {

	private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("Authorization",
			Metadata.ASCII_STRING_MARSHALLER);

	@Test
	void onlyServicesWithATokenSendEmail(Stack stack) throws Exception {
		ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", stack.notificatorGrpcPort)
			.usePlaintext()
			.build();
		try {
			String outsider = "outsider-" + UUID.randomUUID() + "@example.com";
			SendEmailRequest request = SendEmailRequest.newBuilder()
				.setEmail(outsider)
				.setSubject("Free money")
				.setContent("Click here")
				.setIdempotencyKey("outsider:" + UUID.randomUUID())
				.build();
			NotificatorGrpc.NotificatorBlockingStub anonymous = NotificatorGrpc.newBlockingStub(channel)
				.withDeadlineAfter(10, TimeUnit.SECONDS);
			assertThat(refusal(anonymous, request)).isEqualTo(Status.Code.UNAUTHENTICATED);
			assertThat(refusal(withAuthorization(anonymous, "Bearer forged.token.here"), request))
				.isEqualTo(Status.Code.UNAUTHENTICATED);

			// A user's valid access token, exchanged for their personal access token: not
			// for notificator (its audience is users-service and bugs-service), so it
			// authenticates nobody there, whatever its scopes.
			Stack.Account user = stack.signUp("grpc-" + UUID.randomUUID() + "@example.com");
			String accessToken = com.jayway.jsonpath.JsonPath
				.read(stack
					.send(java.net.http.HttpRequest.newBuilder(stack.uri(stack.usersPort, "/internal/tokens/exchange"))
						.header("Authorization", user.bearer())
						.POST(java.net.http.HttpRequest.BodyPublishers.noBody()))
					.body(), "$.access_token");
			assertThat(refusal(withAuthorization(anonymous, "Bearer " + accessToken), request))
				.isEqualTo(Status.Code.UNAUTHENTICATED);

			// The services' own calls still go through: the user's welcome email arrived.
			stack.await(Duration.ofSeconds(30), "the welcome email arrives",
					() -> !stack.emailsTo(user.email()).isEmpty());
			assertThat(stack.emailsTo(outsider)).isEmpty();
		}
		finally {
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	private static NotificatorGrpc.NotificatorBlockingStub withAuthorization(
			NotificatorGrpc.NotificatorBlockingStub stub, String value) {
		Metadata headers = new Metadata();
		headers.put(AUTHORIZATION, value);
		return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
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

}

package dev.bugtracker.platform.outbox;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.bugtracker.api.notificator.v1.NotificatorGrpc.NotificatorBlockingStub;
import dev.bugtracker.api.notificator.v1.SendEmailReply;
import dev.bugtracker.api.notificator.v1.SendEmailRequest;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;

import org.springframework.cloud.client.circuitbreaker.CircuitBreaker;

/**
 * Sends one outbox email to notificator over gRPC, behind a circuit breaker, with a
 * deadline, in the trace of the request that recorded it.
 */
class GrpcEmailSender {

	/**
	 * Answers that mean the request itself is wrong: retrying the same request cannot
	 * succeed.
	 */
	private static final Set<Status.Code> PERMANENT = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.ALREADY_EXISTS,
			Status.Code.FAILED_PRECONDITION, Status.Code.OUT_OF_RANGE, Status.Code.UNIMPLEMENTED);

	private final NotificatorBlockingStub stub;

	private final CircuitBreaker circuitBreaker;

	private final Duration deadline;

	private final ObservationRegistry observations;

	GrpcEmailSender(NotificatorBlockingStub stub, CircuitBreaker circuitBreaker, Duration deadline,
			ObservationRegistry observations) {
		this.stub = stub;
		this.circuitBreaker = circuitBreaker;
		this.deadline = deadline;
		this.observations = observations;
	}

	DeliveryResult send(PendingEmail pending) {
		try {
			return this.circuitBreaker.run(() -> call(pending), (ex) -> {
				Throwable cause = unwrap(ex);
				throw (cause instanceof RuntimeException runtime) ? runtime : new IllegalStateException(
						cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
			});
		}
		catch (CallNotPermittedException ex) {
			return new DeliveryResult.BreakerOpen(ex.getMessage());
		}
		catch (StatusRuntimeException ex) {
			return new DeliveryResult.Failed(ex.getStatus().getCode() + ": " + ex.getStatus().getDescription());
		}
		catch (RuntimeException ex) {
			return new DeliveryResult.Failed(ex.getMessage());
		}
	}

	/**
	 * The breaker runs calls on its own threads and wraps their failures: find the real
	 * one.
	 */
	private static Throwable unwrap(Throwable ex) {
		Throwable current = ex;
		while ((current instanceof ExecutionException || current instanceof CompletionException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	/**
	 * Runs inside the breaker; possibly on another thread, so the trace is restored here
	 * rather than inherited from the caller.
	 */
	private DeliveryResult call(PendingEmail pending) {
		ReceiverContext<Map<String, String>> context = new ReceiverContext<>((carrier, key) -> carrier.get(key),
				Kind.CONSUMER);
		context.setCarrier((pending.traceParent() != null) ? Map.of("traceparent", pending.traceParent()) : Map.of());
		context.setRemoteServiceName("email-outbox");
		OutgoingEmail email = pending.email();
		SendEmailRequest request = SendEmailRequest.newBuilder()
			.setEmail(email.recipient())
			.setSubject(email.subject())
			.setContent(email.body())
			.setIdempotencyKey(email.idempotencyKey())
			.build();
		return Observation.createNotStarted("bugtracker.outbox.delivery", () -> context, this.observations)
			.lowCardinalityKeyValue("channel", "email")
			.observe(() -> {
				try {
					SendEmailReply reply = this.stub.withDeadlineAfter(this.deadline.toMillis(), TimeUnit.MILLISECONDS)
						.sendEmail(request);
					return new DeliveryResult.Delivered(reply.getId());
				}
				catch (StatusRuntimeException ex) {
					if (PERMANENT.contains(ex.getStatus().getCode())) {
						// A healthy notificator said no: not a failure of the dependency.
						return new DeliveryResult.Rejected(
								ex.getStatus().getCode() + ": " + ex.getStatus().getDescription());
					}
					throw ex;
				}
			});
	}

}

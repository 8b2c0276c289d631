package dev.bugtracker.notificator.notification.grpc;

import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import dev.bugtracker.notificator.notification.IdempotencyKeyConflictException;
import dev.bugtracker.notificator.notification.InvalidEmailRequestException;
import dev.bugtracker.notificator.notification.MailDeliveryException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.protobuf.StatusProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.TransientDataAccessException;
import org.springframework.grpc.server.exception.GrpcExceptionHandler;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;

/**
 * The one place that maps exceptions to gRPC status codes. Every exception gets a
 * deliberate code; none leaves as {@code UNKNOWN}.
 */
@Component
class NotificatorGrpcErrors implements GrpcExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(NotificatorGrpcErrors.class);

	@Override
	public StatusException handleException(Throwable exception) {
		if (exception instanceof InvalidEmailRequestException invalid) {
			BadRequest details = BadRequest.newBuilder()
				.addFieldViolations(BadRequest.FieldViolation.newBuilder()
					.setField(invalid.getField())
					.setDescription(invalid.getMessage()))
				.build();
			return StatusProto.toStatusException(com.google.rpc.Status.newBuilder()
				.setCode(Code.INVALID_ARGUMENT_VALUE)
				.setMessage(invalid.getMessage())
				.addDetails(com.google.protobuf.Any.pack(details))
				.build());
		}
		if (exception instanceof IdempotencyKeyConflictException conflict) {
			return Status.ALREADY_EXISTS.withDescription(conflict.getMessage()).asException();
		}
		if (exception instanceof MailDeliveryException failed) {
			log.warn("Mail delivery failed: {}", failed.getMessage());
			return Status.UNAVAILABLE.withDescription(failed.getMessage()).asException();
		}
		if (exception instanceof TransientDataAccessException transientFailure) {
			log.warn("Database unavailable: {}", transientFailure.getMessage());
			return Status.UNAVAILABLE.withDescription("Temporarily unavailable; retry later").asException();
		}
		if (exception instanceof AuthenticationException refused) {
			return Status.UNAUTHENTICATED
				.withDescription("A service's valid access token is required: " + refused.getMessage())
				.asException();
		}
		if (exception instanceof AccessDeniedException) {
			return Status.PERMISSION_DENIED.withDescription("The access token lacks the scope notifications:send")
				.asException();
		}
		log.error("Unexpected error in a gRPC call", exception);
		return Status.INTERNAL.withDescription("Internal error; it has been logged").asException();
	}

}

package dev.bugtracker.notificator.notification.grpc;

import dev.bugtracker.api.notificator.v1.NotificatorGrpc;
import dev.bugtracker.api.notificator.v1.SendEmailReply;
import dev.bugtracker.api.notificator.v1.SendEmailRequest;
import dev.bugtracker.notificator.notification.EmailRequest;
import dev.bugtracker.notificator.notification.NotificationService;
import dev.bugtracker.notificator.notification.SendResult;
import io.grpc.stub.StreamObserver;

import org.springframework.stereotype.Service;

/**
 * The {@code Notificator} gRPC service. Errors are mapped to status codes by
 * {@link NotificatorGrpcErrors}.
 */
@Service
class NotificatorGrpcService extends NotificatorGrpc.NotificatorImplBase {

	private final NotificationService notifications;

	NotificatorGrpcService(NotificationService notifications) {
		this.notifications = notifications;
	}

	@Override
	public void sendEmail(SendEmailRequest request, StreamObserver<SendEmailReply> responses) {
		EmailRequest email = EmailRequest.of(request.getEmail(), request.getSubject(), request.getContent(),
				request.getIdempotencyKey());
		SendResult result = this.notifications.send(email);
		responses
			.onNext(SendEmailReply.newBuilder().setId(result.id().toString()).setDuplicate(result.duplicate()).build());
		responses.onCompleted();
	}

}

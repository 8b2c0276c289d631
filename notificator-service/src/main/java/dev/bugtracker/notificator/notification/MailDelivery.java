package dev.bugtracker.notificator.notification;

/**
 * Hands a notification to the mail system.
 */
interface MailDelivery {

	/**
	 * Deliver one notification.
	 * @param notification what to deliver
	 * @throws MailDeliveryException if the transport failed
	 */
	void deliver(Notification notification);

	/**
	 * @return how it delivers, for metrics and traces: {@code smtp} or {@code file}
	 */
	String transport();

}

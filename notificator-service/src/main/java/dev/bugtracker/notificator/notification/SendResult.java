package dev.bugtracker.notificator.notification;

import java.util.UUID;

/**
 * The outcome of a successful send.
 *
 * @param id the notification's identifier
 * @param duplicate whether an earlier call had already recorded this idempotency key
 */
public record SendResult(UUID id, boolean duplicate) {
}

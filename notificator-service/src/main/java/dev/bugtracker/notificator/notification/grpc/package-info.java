/**
 * The gRPC transport of notifications: the {@code Notificator} service and its error
 * mapping.
 */
package dev.bugtracker.notificator.notification.grpc;

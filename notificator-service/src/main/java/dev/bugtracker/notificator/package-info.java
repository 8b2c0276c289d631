/**
 * notificator-service: the only component that talks to the mail system.
 */
package dev.bugtracker.notificator;

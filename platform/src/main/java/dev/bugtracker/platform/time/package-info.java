/**
 * The services' clock.
 */
package dev.bugtracker.platform.time;

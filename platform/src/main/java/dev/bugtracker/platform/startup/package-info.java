/**
 * How the services start: a failed start ends the process, and a service warms its own
 * hot paths up before it reports ready.
 */
package dev.bugtracker.platform.startup;

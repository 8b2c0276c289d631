/**
 * How the services start: a failed start ends the process.
 */
package dev.bugtracker.platform.startup;

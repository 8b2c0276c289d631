/**
 * Support shared by the HTTP services: each sub-package is one auto-configured
 * capability.
 */
package dev.bugtracker.platform;

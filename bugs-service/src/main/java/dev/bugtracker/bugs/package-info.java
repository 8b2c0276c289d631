/**
 * bugs-service: the bugs people report.
 */
package dev.bugtracker.bugs;

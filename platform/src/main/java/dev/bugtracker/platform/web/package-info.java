/**
 * HTTP edge rules shared by the JSON services: lenient JSON intake, body size limits and
 * RFC 9457 problem responses that name the offending field.
 */
package dev.bugtracker.platform.web;

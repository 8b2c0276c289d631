/**
 * The service registry (Eureka server).
 */
package dev.bugtracker.registry;

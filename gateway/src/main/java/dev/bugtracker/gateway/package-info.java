/**
 * The API gateway (Spring Cloud Gateway on WebFlux).
 */
package dev.bugtracker.gateway;

/**
 * Resolves gRPC targets of the form {@code discovery:///service-name} through Spring
 * Cloud's {@link org.springframework.cloud.client.discovery.DiscoveryClient} (Eureka in
 * this project).
 */
package dev.bugtracker.platform.discovery;

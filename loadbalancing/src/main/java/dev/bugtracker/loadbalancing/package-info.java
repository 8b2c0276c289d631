/**
 * Passive outlier detection for Spring Cloud LoadBalancer: instances whose connections
 * fail leave the rotation at once.
 */
package dev.bugtracker.loadbalancing;

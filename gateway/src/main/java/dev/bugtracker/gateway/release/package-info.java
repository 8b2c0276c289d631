/**
 * Releases without downtime: the gateway splits a service's traffic between the versions
 * its instances carry in Eureka metadata (canary shares, blue-green switches), changed at
 * runtime.
 */
package dev.bugtracker.gateway.release;

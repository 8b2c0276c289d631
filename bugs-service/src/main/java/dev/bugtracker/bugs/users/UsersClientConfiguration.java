package dev.bugtracker.bugs.users;

import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.context.annotation.Configuration;

/**
 * Enables the Feign client to users-service.
 */
@Configuration(proxyBeanMethods = false)
@EnableFeignClients(clients = UsersClient.class)
class UsersClientConfiguration {

}

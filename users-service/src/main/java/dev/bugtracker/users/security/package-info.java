/**
 * Who is calling users-service: accounts as Spring Security users, the rules of the API,
 * and the 401 and 403 problems.
 */
package dev.bugtracker.users.security;

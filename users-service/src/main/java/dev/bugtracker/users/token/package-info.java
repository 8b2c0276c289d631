/**
 * Personal access tokens: long-lived tokens for curl and scripts, stored hashed, listed
 * and revoked by their owner, exchanged for short-lived access tokens.
 */
package dev.bugtracker.users.token;

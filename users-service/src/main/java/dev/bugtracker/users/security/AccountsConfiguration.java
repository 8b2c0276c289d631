package dev.bugtracker.users.security;

import java.time.Clock;

import dev.bugtracker.users.user.AccountProperties;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.authentication.ott.JdbcOneTimeTokenService;
import org.springframework.security.authentication.ott.OneTimeTokenService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * What accounts are made of: passwords encoded by Spring Security's
 * {@code DelegatingPasswordEncoder} (bcrypt now; the "{id}" prefix of each hash lets a
 * later default take over without invalidating old hashes), and the one-time tokens of
 * the set-password links in the database, so that every instance knows them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AccountProperties.class)
class AccountsConfiguration {

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	OneTimeTokenService passwordLinkTokens(JdbcOperations jdbc, Clock clock) {
		JdbcOneTimeTokenService tokens = new JdbcOneTimeTokenService(jdbc);
		tokens.setClock(clock);
		return tokens;
	}

}

package dev.bugtracker.bugs.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may use the bugs API without an account. Where access tokens come from is the
 * platform's ({@code AccessTokenDecoders}).
 *
 * @param publicRead whether anyone may read bugs, comments and history without a token
 * @param anonymousReports whether the tutorial's {@code POST /bugs/create} takes reports
 * without a token
 */
@ConfigurationProperties("bugtracker.security")
public record SecurityProperties(boolean publicRead, boolean anonymousReports) {

}

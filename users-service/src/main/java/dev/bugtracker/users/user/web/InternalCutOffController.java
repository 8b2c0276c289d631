package dev.bugtracker.users.user.web;

import java.time.Instant;

import dev.bugtracker.platform.security.CredentialCutOffs;
import dev.bugtracker.users.user.CredentialVersions;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The accounts whose credentials were cut off lately, for the services that refuse their
 * older access tokens ({@link CredentialCutOffs}): only with a service's access token
 * with the scope {@code users:lookup} ({@code SecurityConfiguration}); not routed by the
 * gateway. {@code since} (an ISO-8601 instant) is optional; the answer reaches back 15
 * minutes at most, longer than any access token lives.
 */
@RestController
class InternalCutOffController {

	private final CredentialVersions versions;

	InternalCutOffController(CredentialVersions versions) {
		this.versions = versions;
	}

	@GetMapping(path = "/internal/credential-cut-offs", produces = MediaType.APPLICATION_JSON_VALUE)
	CredentialCutOffs.Feed cutOffs(@RequestParam(required = false) Instant since) {
		return this.versions.since(since);
	}

}

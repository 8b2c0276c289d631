package dev.bugtracker.bugs.users;

import dev.bugtracker.loadbalancing.ConnectionFailures;
import feign.RetryableException;
import feign.Retryer;

/**
 * Retries a users-service lookup at once when its connection failed (a crashed or
 * stopping instance), up to {@code maxAttempts} in all. The instance that failed has just
 * been ejected from the load balancer's choice, so the next attempt goes to another one.
 * Timeouts are not retried: a slow users-service would only hold the request longer.
 */
class ConnectionFailureRetryer implements Retryer {

	private final int maxAttempts;

	private int attempt = 1;

	ConnectionFailureRetryer(int maxAttempts) {
		this.maxAttempts = maxAttempts;
	}

	@Override
	public void continueOrPropagate(RetryableException failure) {
		if (this.attempt >= this.maxAttempts || !ConnectionFailures.isConnectionFailure(failure)) {
			throw failure;
		}
		this.attempt++;
	}

	@Override
	public Retryer clone() {
		return new ConnectionFailureRetryer(this.maxAttempts);
	}

}

package dev.bugtracker.bugs.users;

import dev.bugtracker.loadbalancing.ConnectionFailures;
import feign.RetryableException;
import feign.Retryer;

/**
 * Retries a users-service lookup at once when its connection failed (a crashed or
 * stopping instance), up to {@code maxAttempts} in all. The instance that failed has just
 * been ejected from the load balancer's choice, so the next attempt goes to another one.
 * A lookup that timed out is sent again once, to another instance too (the timeout has
 * ejected the slow one): a lookup is a GET that changes nothing, and the instance that
 * did not answer may just have started and still be cold. Only once: when users-service
 * is slow everywhere, more attempts would only hold the request longer.
 */
class ConnectionFailureRetryer implements Retryer {

	private final int maxAttempts;

	private int attempt = 1;

	private boolean timedOut;

	ConnectionFailureRetryer(int maxAttempts) {
		this.maxAttempts = maxAttempts;
	}

	@Override
	public void continueOrPropagate(RetryableException failure) {
		boolean retry = ConnectionFailures.isConnectionFailure(failure)
				|| (ConnectionFailures.isTimeout(failure) && !this.timedOut);
		if (this.attempt >= this.maxAttempts || !retry) {
			throw failure;
		}
		if (ConnectionFailures.isTimeout(failure)) {
			this.timedOut = true;
		}
		this.attempt++;
	}

	@Override
	public Retryer clone() {
		return new ConnectionFailureRetryer(this.maxAttempts);
	}

}

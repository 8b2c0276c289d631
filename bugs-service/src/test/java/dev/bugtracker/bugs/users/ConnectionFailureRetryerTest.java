package dev.bugtracker.bugs.users;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import feign.Request;
import feign.RetryableException;
import feign.Retryer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionFailureRetryerTest {

	@Test
	void retriesARefusedConnectionUpToTheLimit() {
		Retryer retryer = new ConnectionFailureRetryer(3).clone();
		RetryableException refused = failure(new ConnectException("Connection refused"));

		assertThatCode(() -> retryer.continueOrPropagate(refused)).doesNotThrowAnyException();
		assertThatCode(() -> retryer.continueOrPropagate(refused)).doesNotThrowAnyException();
		assertThatThrownBy(() -> retryer.continueOrPropagate(refused)).isSameAs(refused);
	}

	@Test
	void retriesATimeoutOnce() {
		Retryer retryer = new ConnectionFailureRetryer(3).clone();
		RetryableException timeout = failure(new SocketTimeoutException("Read timed out"));

		assertThatCode(() -> retryer.continueOrPropagate(timeout)).doesNotThrowAnyException();
		assertThatThrownBy(() -> retryer.continueOrPropagate(timeout)).isSameAs(timeout);
	}

	@Test
	void doesNotRetryOtherFailures() {
		RetryableException other = failure(new java.io.IOException("unexpected end of stream"));

		assertThatThrownBy(() -> new ConnectionFailureRetryer(3).clone().continueOrPropagate(other)).isSameAs(other);
	}

	@Test
	void eachCallCountsItsOwnAttempts() {
		Retryer prototype = new ConnectionFailureRetryer(2);
		RetryableException refused = failure(new ConnectException());
		Retryer first = prototype.clone();
		first.continueOrPropagate(refused);

		assertThatCode(() -> prototype.clone().continueOrPropagate(refused)).doesNotThrowAnyException();
	}

	private static RetryableException failure(Throwable cause) {
		Request request = Request.create(Request.HttpMethod.GET, "http://users-service/users/1", Map.of(), null,
				StandardCharsets.UTF_8, null);
		return new RetryableException(-1, cause.getMessage(), Request.HttpMethod.GET, cause, (Long) null, request);
	}

}

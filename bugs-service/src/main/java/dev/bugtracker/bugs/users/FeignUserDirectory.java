package dev.bugtracker.bugs.users;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.bugtracker.bugs.bug.UserDirectory;
import dev.bugtracker.bugs.bug.UsersUnavailableException;
import feign.FeignException;

import org.springframework.cloud.client.circuitbreaker.CircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.stereotype.Component;

/**
 * Looks users up in users-service through {@link UsersClient}, behind the {@code users}
 * circuit breaker (with its time limiter), and remembers found users for a few minutes:
 * users do not change their email yet, and one bug change may need several of them. An
 * unknown user is never cached.
 */
@Component
class FeignUserDirectory implements UserDirectory {

	private final UsersClient client;

	private final CircuitBreaker circuitBreaker;

	private final Cache<Long, UserContact> cache = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterWrite(Duration.ofMinutes(5))
		.build();

	FeignUserDirectory(UsersClient client, CircuitBreakerFactory<?, ?> circuitBreakers) {
		this.client = client;
		this.circuitBreaker = circuitBreakers.create("users");
	}

	@Override
	public Optional<UserContact> find(long id) {
		UserContact cached = this.cache.getIfPresent(id);
		if (cached != null) {
			return Optional.of(cached);
		}
		Optional<UserContact> found = this.circuitBreaker.run(() -> lookUp(id), (ex) -> {
			throw new UsersUnavailableException("users-service is unavailable: " + describe(ex), ex);
		});
		found.ifPresent((contact) -> this.cache.put(id, contact));
		return found;
	}

	@Override
	public Optional<UserContact> known(long id) {
		return Optional.ofNullable(this.cache.getIfPresent(id));
	}

	/**
	 * A 404 is an answer, not a failure of users-service: it does not count against the
	 * breaker. Neither does finding no instance at all.
	 */
	private Optional<UserContact> lookUp(long id) {
		try {
			UsersClient.UserView user = this.client.get(id);
			return Optional.of(new UserContact(user.id(), user.email(), user.displayName()));
		}
		catch (FeignException.NotFound ex) {
			return Optional.empty();
		}
		catch (FeignException.ServiceUnavailable ex) {
			if (isNoInstance(ex)) {
				throw new NoUsersServiceInstanceException("no instance of users-service is registered", ex);
			}
			throw ex;
		}
	}

	/**
	 * Whether a 503 is Spring Cloud OpenFeign's own answer when the load balancer has no
	 * instance (FeignBlockingLoadBalancerClient: no headers, this text), rather than one
	 * of users-service, which always has headers. FeignUserDirectoryNoInstanceTest goes
	 * through the real client, so a change of that answer fails it.
	 */
	private static boolean isNoInstance(FeignException.ServiceUnavailable ex) {
		return ex.responseHeaders().isEmpty()
				&& ex.contentUTF8().startsWith("Load balancer does not contain an instance for the service");
	}

	private static String describe(Throwable ex) {
		Throwable cause = (ex.getCause() != null && ex instanceof java.util.concurrent.ExecutionException)
				? ex.getCause() : ex;
		return cause.getClass().getSimpleName() + ((cause.getMessage() != null) ? ": " + cause.getMessage() : "");
	}

}

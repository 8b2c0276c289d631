package dev.bugtracker.loadbalancing;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * Tells failures of the connection to an instance from other failures of a call.
 */
public final class ConnectionFailures {

	private ConnectionFailures() {
	}

	/**
	 * Whether a call failed because its connection did: refused, reset, or closed before
	 * the answer, or a connect timeout (an instance dying under load may leave its
	 * connections neither accepted nor refused). The instance is gone or going, and the
	 * request never reached it or never got its answer. A read timeout is not among them:
	 * the instance is slow, and may still be doing the work.
	 * @param failure what the call threw
	 * @return whether the failure, or one of its causes, is a failed connection
	 */
	public static boolean isConnectionFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof SocketException || cause instanceof ClosedChannelException
					|| cause instanceof HttpConnectTimeoutException || isConnectTimeout(cause)) {
				return true;
			}
			// Named rather than typed: this module depends on neither reactor-netty nor
			// netty. PrematureCloseException: the connection closed before the answer.
			// NativeIoException: a read or write on the socket failed (with the epoll
			// transport, a reset connection is one, not a SocketException).
			// AbortedException: the connection closed before the request was sent.
			String name = cause.getClass().getSimpleName();
			if (cause instanceof IOException && (name.equals("PrematureCloseException")
					|| name.equals("NativeIoException") || isResetMessage(cause.getMessage()))
					|| name.equals("AbortedException")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a call timed out waiting for the instance's answer (a read or response
	 * timeout): the request reached an instance that is stalled, overloaded or still
	 * cold. Unlike a failed connection, the instance may still be doing the work, so only
	 * an idempotent request may be sent again.
	 * @param failure what the call threw
	 * @return whether the failure, or one of its causes, is a timeout other than a
	 * connect timeout
	 */
	public static boolean isTimeout(Throwable failure) {
		if (isConnectionFailure(failure)) {
			return false;
		}
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			String name = cause.getClass().getSimpleName();
			if (cause instanceof SocketTimeoutException || cause instanceof java.net.http.HttpTimeoutException
					|| cause instanceof java.util.concurrent.TimeoutException || name.equals("ReadTimeoutException")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A connect timeout of a blocking socket ("Connect timed out"): the request was never
	 * sent, as with a refused connection. Its read timeout ("Read timed out") is the same
	 * type, and is not one.
	 */
	private static boolean isConnectTimeout(Throwable cause) {
		return cause instanceof SocketTimeoutException && cause.getMessage() != null
				&& cause.getMessage().toLowerCase(Locale.ROOT).contains("connect timed out");
	}

	private static boolean isResetMessage(String message) {
		return message != null && (message.contains("Connection reset") || message.contains("Broken pipe"));
	}

}

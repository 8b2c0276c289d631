package dev.bugtracker.loadbalancing;

import java.io.IOException;
import java.net.SocketException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.ClosedChannelException;

/**
 * Tells failures of the connection to an instance from other failures of a call.
 */
public final class ConnectionFailures {

	private ConnectionFailures() {
	}

	/**
	 * Whether a call failed because its connection did: refused, reset, or closed before
	 * the answer, or a connect timeout. The instance is gone or going, and the request
	 * never reached it or never got its answer. A read timeout is not among them: the
	 * instance is slow, and may still be doing the work.
	 * @param failure what the call threw
	 * @return whether the failure, or one of its causes, is a failed connection
	 */
	public static boolean isConnectionFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof SocketException || cause instanceof ClosedChannelException
					|| cause instanceof HttpConnectTimeoutException) {
				return true;
			}
			// reactor-netty's PrematureCloseException, which this module does not depend
			// on: the connection closed before the answer.
			if (cause instanceof IOException && cause.getClass().getSimpleName().equals("PrematureCloseException")) {
				return true;
			}
		}
		return false;
	}

}

package dev.bugtracker.platform.web;

import java.io.IOException;

import org.springframework.util.unit.DataSize;

/**
 * Thrown while reading a request body that turns out larger than the configured limit.
 */
public class RequestBodyTooLargeException extends IOException {

	private static final long serialVersionUID = 1L;

	private final DataSize limit;

	RequestBodyTooLargeException(DataSize limit) {
		super("Request body is larger than " + limit.toBytes() + " bytes");
		this.limit = limit;
	}

	/**
	 * Return the limit that was exceeded.
	 * @return the configured maximum body size
	 */
	public DataSize getLimit() {
		return this.limit;
	}

}

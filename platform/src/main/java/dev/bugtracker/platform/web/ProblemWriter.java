package dev.bugtracker.platform.web;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Writes a {@link ProblemDetail} from a servlet filter, where no controller advice
 * applies.
 */
public class ProblemWriter {

	private final JsonMapper mapper;

	public ProblemWriter(JsonMapper mapper) {
		this.mapper = mapper;
	}

	public void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
			throws IOException {
		if (problem.getInstance() == null) {
			problem.setInstance(URI.create(request.getRequestURI()));
		}
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		// The client may still be sending; close the connection rather than read what we
		// refused.
		response.setHeader("Connection", "close");
		this.mapper.writeValue(response.getOutputStream(), problem);
	}

}

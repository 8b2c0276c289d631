package dev.bugtracker.bugs.bug.web;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Resolves {@link Actor} parameters from the {@code X-User-Id} header: the one place that
 * decides who is acting.
 */
class ActorArgumentResolver implements HandlerMethodArgumentResolver {

	static final String HEADER = "X-User-Id";

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == Actor.class;
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer container, NativeWebRequest request,
			WebDataBinderFactory binders) {
		String value = request.getHeader(HEADER);
		if (value == null || value.isBlank()) {
			return new Actor(null);
		}
		try {
			return new Actor(Long.parseLong(value.trim()));
		}
		catch (NumberFormatException ex) {
			throw new MethodArgumentTypeMismatchException(value, Long.class, HEADER, parameter, ex);
		}
	}

}

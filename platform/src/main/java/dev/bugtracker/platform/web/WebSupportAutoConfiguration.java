package dev.bugtracker.platform.web;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

/**
 * Installs the shared HTTP edge rules in a servlet service.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.SERVLET)
@EnableConfigurationProperties(WebProperties.class)
@Import(ProblemDetailsAdvice.class)
public final class WebSupportAutoConfiguration {

	@Bean
	FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(WebProperties properties, JsonMapper mapper) {
		FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestBodyLimitFilter(properties, new ProblemWriter(mapper)));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	@Bean
	FilterRegistrationBean<FormEncodedJsonFilter> formEncodedJsonFilter(WebProperties properties) {
		FilterRegistrationBean<FormEncodedJsonFilter> registration = new FilterRegistrationBean<>(
				new FormEncodedJsonFilter(properties));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 11);
		return registration;
	}

}

package dev.bugtracker.systemtests;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the running {@link Stack}: started once for the whole run, closed by JUnit
 * when the run ends (also when tests fail).
 */
final class StackExtension implements ParameterResolver {

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		return parameter.getParameter().getType() == Stack.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		return context.getRoot()
			.getStore(ExtensionContext.Namespace.create(StackExtension.class))
			.computeIfAbsent(Stack.class, (key) -> {
				try {
					Stack stack = new Stack();
					try {
						stack.start();
					}
					catch (RuntimeException | Error ex) {
						stack.close();
						throw ex;
					}
					return stack;
				}
				catch (java.io.IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			}, Stack.class);
	}

}

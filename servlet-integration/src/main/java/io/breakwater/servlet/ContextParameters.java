package io.breakwater.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;

/** Reads Breakwater's numeric context parameters; a value that is not a positive number fails the deployment. */
final class ContextParameters {

    private ContextParameters() {
    }

    /**
     * @return the parameter's value, or {@code defaultValue} when the context does not set it
     * @throws ServletException when it is set to anything but a positive whole number
     */
    static long positive(ServletContext context, String name, long defaultValue) throws ServletException {
        String value = context.getInitParameter(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            long number = Long.parseLong(value.trim());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new ServletException("Context parameter " + name + " must be a positive whole number, not '"
                + value + "'");
    }
}

package io.breakwater.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;

/** Reads Breakwater's numeric context parameters; a value out of its range fails the deployment. */
final class ContextParameters {

    private ContextParameters() {
    }

    /**
     * @return the parameter's value, or {@code defaultValue} when the context does not set it
     * @throws ServletException when it is set to anything but a positive whole number
     */
    static long positive(ServletContext context, String name, long defaultValue) throws ServletException {
        return atLeast(1, context, name, defaultValue, "a positive whole number");
    }

    /**
     * @return the parameter's value, or {@code defaultValue} when the context does not set it
     * @throws ServletException when it is set to anything but 0 or a positive whole number
     */
    static long notNegative(ServletContext context, String name, long defaultValue) throws ServletException {
        return atLeast(0, context, name, defaultValue, "0 or a positive whole number");
    }

    private static long atLeast(long least, ServletContext context, String name, long defaultValue, String what)
            throws ServletException {
        String value = context.getInitParameter(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            long number = Long.parseLong(value.trim());
            if (number >= least) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new ServletException("Context parameter " + name + " must be " + what + ", not '" + value + "'");
    }
}

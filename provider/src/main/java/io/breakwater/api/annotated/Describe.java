package io.breakwater.api.annotated;

import jakarta.websocket.DeploymentException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Wording of deployment errors: each names the endpoint class, the method and the rule (WebSocket 2.2 §5.2.1). */
final class Describe {

    private Describe() {
    }

    /** {@code com.example.Chat.onMessage(String, Session)}. */
    static String method(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName() + Arrays.stream(method.getParameterTypes())
                .map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }

    static DeploymentException classError(Class<?> endpointClass, String rule, String section) {
        return new DeploymentException("Annotated endpoint " + endpointClass.getName() + ": " + rule
                + " [Jakarta WebSocket 2.2 " + section + "]");
    }

    static DeploymentException methodError(Class<?> endpointClass, Method method, String rule, String section) {
        return classError(endpointClass, "method " + method(method) + " " + rule, section);
    }

    /** "parameter 2 (int)", counting from 1. */
    static String parameter(Method method, int index) {
        return "parameter " + (index + 1) + " (" + method.getParameterTypes()[index].getSimpleName() + ")";
    }
}

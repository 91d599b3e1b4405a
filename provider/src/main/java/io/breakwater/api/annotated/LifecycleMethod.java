package io.breakwater.api.annotated;

import java.lang.reflect.Method;

/**
 * A validated {@code @OnOpen}, {@code @OnClose} or {@code @OnError} method of an annotated endpoint, with its call
 * prepared (WebSocket 2.2 §4.4 to §4.6). Immutable.
 */
public final class LifecycleMethod {

    private final MethodInvoker invoker;

    LifecycleMethod(MethodInvoker invoker) {
        this.invoker = invoker;
    }

    /** The annotated method, possibly declared by a superclass of the endpoint class (§4.8). */
    public Method method() {
        return invoker.method();
    }

    MethodInvoker invoker() {
        return invoker;
    }

    @Override
    public String toString() {
        return invoker.toString();
    }
}

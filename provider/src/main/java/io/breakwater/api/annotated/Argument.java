package io.breakwater.api.annotated;

/**
 * Where the value of one parameter of an annotated method comes from, decided once at deployment.
 *
 * @param source   the kind of value
 * @param pathName the {@code @PathParam} name, for {@link Source#PATH_PARAM} only
 * @param type     the declared parameter type
 */
record Argument(Source source, String pathName, Class<?> type) {

    /** The values a container supplies to annotated methods (WebSocket 2.2 §4.3 to §4.7). */
    enum Source {
        SESSION, ENDPOINT_CONFIG, CLOSE_REASON, THROWABLE, MESSAGE, LAST, PATH_PARAM
    }

    static Argument of(Source source, Class<?> type) {
        return new Argument(source, null, type);
    }

    static Argument pathParam(String name, Class<?> type) {
        return new Argument(Source.PATH_PARAM, name, type);
    }
}

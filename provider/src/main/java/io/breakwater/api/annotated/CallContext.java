package io.breakwater.api.annotated;

import jakarta.websocket.CloseReason;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;

/** The values available to one call of an annotated method; unused ones are null. */
record CallContext(Session session, EndpointConfig config, CloseReason closeReason, Throwable throwable,
        Object message, boolean last) {

    static CallContext open(Session session, EndpointConfig config) {
        return new CallContext(session, config, null, null, null, true);
    }

    static CallContext close(Session session, CloseReason reason) {
        return new CallContext(session, null, reason, null, null, true);
    }

    static CallContext error(Session session, Throwable throwable) {
        return new CallContext(session, null, null, throwable, null, true);
    }

    static CallContext message(Session session, Object message, boolean last) {
        return new CallContext(session, null, null, null, message, last);
    }
}

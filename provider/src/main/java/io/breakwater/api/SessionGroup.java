package io.breakwater.api;

import jakarta.websocket.Session;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The sessions connected to the same endpoint, for {@code Session.getOpenSessions()}: one group per
 * server endpoint, one per client container.
 */
public final class SessionGroup {

    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

    void add(Session session) {
        sessions.add(session);
    }

    void remove(Session session) {
        sessions.remove(session);
    }

    /** A copy of the sessions open now. */
    public Set<Session> openSessions() {
        return sessions.stream().filter(Session::isOpen).collect(Collectors.toUnmodifiableSet());
    }

    /** Every session not yet closed, open or closing, for a container that shuts down. */
    public Set<Session> sessions() {
        return Set.copyOf(sessions);
    }
}

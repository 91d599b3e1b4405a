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

    private final Set<BreakwaterSession> sessions = ConcurrentHashMap.newKeySet();

    void add(BreakwaterSession session) {
        sessions.add(session);
    }

    void remove(BreakwaterSession session) {
        sessions.remove(session);
    }

    /**
     * A copy of the sessions open now: those no close has begun on. A closing session still answers
     * {@code isOpen()} until its onClose has returned, but nothing can be sent to it any more, and an
     * application that tells the others of a departure in onClose must not find the departing one here.
     */
    public Set<Session> openSessions() {
        return sessions.stream().filter(BreakwaterSession::acceptsMessages).collect(Collectors.toUnmodifiableSet());
    }

    /** Every session not yet closed, open or closing, for a container that shuts down. */
    public Set<Session> sessions() {
        return Set.copyOf(sessions);
    }
}

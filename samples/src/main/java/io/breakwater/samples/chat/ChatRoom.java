package io.breakwater.samples.chat;

import jakarta.websocket.CloseReason;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Extension;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One room: its members, in the order they came, and the last messages said in it.
 *
 * <p>Everything that changes the room, and the sends it causes, happens under one lock, so every
 * member sees the same events in the same order. The sends are asynchronous: Breakwater queues them
 * per session in order, and a member whose connection cannot keep up costs the others nothing.
 */
final class ChatRoom {

    private static final System.Logger LOG = System.getLogger(ChatRoom.class.getName());

    private final String name;
    private final int historyLimit;
    private final Clock clock;
    private final Lock lock = new ReentrantLock();
    private final Map<Session, String> members = new LinkedHashMap<>();
    private final Deque<ServerMessage.Said> history = new ArrayDeque<>();

    ChatRoom(String name, int historyLimit, Clock clock) {
        this.name = name;
        this.historyLimit = historyLimit;
        this.clock = clock;
    }

    /**
     * Lets {@code session} in under {@code wantedName}, or under that name with a number after it when
     * someone here already uses it; sends it the welcome and tells the others.
     *
     * @return the name the member got
     */
    String join(Session session, String wantedName) {
        lock.lock();
        try {
            String memberName = unused(wantedName);
            members.put(session, memberName);
            List<String> names = memberNames();
            send(session, new ServerMessage.Welcome(name, memberName, names, List.copyOf(history),
                    session.getNegotiatedExtensions().stream().map(Extension::getName).toList()));
            broadcast(new ServerMessage.Joined(memberName, names), session);
            return memberName;
        } finally {
            lock.unlock();
        }
    }

    /** Sends {@code text} from the member on {@code session} to everyone here, the sender included. */
    void say(Session session, String text) {
        lock.lock();
        try {
            String from = members.get(session);
            if (from == null) {
                return; // Already gone: a message that raced with its sender's close.
            }
            ServerMessage.Said said = new ServerMessage.Said(from, text, clock.instant());
            history.addLast(said);
            if (history.size() > historyLimit) {
                history.removeFirst();
            }
            broadcast(said, null);
        } finally {
            lock.unlock();
        }
    }

    /** Lets the member on {@code session} out, if it is in, and tells the others. */
    void leave(Session session) {
        lock.lock();
        try {
            String memberName = members.remove(session);
            if (memberName != null) {
                broadcast(new ServerMessage.Left(memberName, memberNames()), null);
            }
        } finally {
            lock.unlock();
        }
    }

    private String unused(String wantedName) {
        Set<String> taken = new HashSet<>(members.values());
        String candidate = wantedName;
        for (int n = 2; taken.contains(candidate); n++) {
            candidate = wantedName + " " + n;
        }
        return candidate;
    }

    private List<String> memberNames() {
        return new ArrayList<>(members.values());
    }

    private void broadcast(ServerMessage message, Session except) {
        for (Session member : members.keySet()) {
            if (member != except) {
                send(member, message);
            }
        }
    }

    private static void send(Session member, ServerMessage message) {
        try {
            member.getAsyncRemote().sendObject(message, result -> {
                if (!result.isOK()) {
                    drop(member, result.getException());
                }
            });
        } catch (RuntimeException e) {
            drop(member, e);
        }
    }

    /**
     * A member that missed a message would see a different room from the others: closing tells it so
     * instead of hiding it. The usual cause is a member that stopped reading until its send queue
     * filled; a message that cannot be encoded is a bug of ours, and logged.
     */
    private static void drop(Session member, Throwable failure) {
        CloseReason reason;
        if (failure instanceof EncodeException) {
            LOG.log(System.Logger.Level.ERROR, "a chat message could not be encoded", failure);
            reason = new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "the server failed to send a message");
        } else {
            reason = new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "could not keep up with the room");
        }
        if (member.isOpen()) {
            try {
                member.close(reason);
            } catch (IOException | RuntimeException e) {
                // The connection is already going away.
            }
        }
    }
}

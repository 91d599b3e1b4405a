package io.breakwater.samples.chat;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Every room of the application, created when its first member comes. A room is kept when its last
 * member leaves, so that its history greets whoever comes back.
 */
final class ChatRooms {

    private final int historyLimit;
    private final Clock clock;
    private final ConcurrentMap<String, ChatRoom> rooms = new ConcurrentHashMap<>();

    ChatRooms(int historyLimit, Clock clock) {
        this.historyLimit = historyLimit;
        this.clock = clock;
    }

    ChatRoom named(String name) {
        return rooms.computeIfAbsent(name, key -> new ChatRoom(key, historyLimit, clock));
    }
}

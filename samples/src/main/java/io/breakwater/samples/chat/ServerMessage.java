package io.breakwater.samples.chat;

import java.time.Instant;
import java.util.List;

/** What the chat server sends to a member; {@link ChatJson} gives each kind its JSON form. */
public sealed interface ServerMessage {

    /** The first message on a connection: who you are, who is here, and what was said before you came. */
    record Welcome(String room, String you, List<String> members, List<Said> history, List<String> extensions)
            implements ServerMessage {
        public Welcome {
            members = List.copyOf(members);
            history = List.copyOf(history);
            extensions = List.copyOf(extensions);
        }
    }

    /** A member said something. */
    record Said(String from, String text, Instant time) implements ServerMessage {
    }

    /** Someone came in; {@code members} is the room after they did. */
    record Joined(String name, List<String> members) implements ServerMessage {
        public Joined {
            members = List.copyOf(members);
        }
    }

    /** Someone went away; {@code members} is the room after they did. */
    record Left(String name, List<String> members) implements ServerMessage {
        public Left {
            members = List.copyOf(members);
        }
    }

    /** The server could not accept what this member sent. */
    record Refused(String reason) implements ServerMessage {
    }
}

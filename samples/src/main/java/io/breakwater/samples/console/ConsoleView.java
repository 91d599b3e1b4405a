package io.breakwater.samples.console;

import io.breakwater.samples.chat.ServerMessage;
import jakarta.websocket.CloseReason;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How the console shows what the server sends: one or more lines of plain text per message. */
final class ConsoleView {

    /** Shown once joined, so that nobody has to guess how to get out. */
    static final String HOW_TO_LEAVE = "(Type a line and press Enter to say it; /quit or Ctrl-D leaves.)";

    private final DateTimeFormatter clock;

    ConsoleView(ZoneId zone) {
        this.clock = DateTimeFormatter.ofPattern("HH:mm").withZone(zone);
    }

    List<String> lines(ServerMessage message) {
        if (message instanceof ServerMessage.Welcome welcome) {
            List<String> lines = new ArrayList<>();
            lines.add("You are " + welcome.you() + " in #" + welcome.room() + ". Here: "
                    + String.join(", ", welcome.members()) + ".");
            if (!welcome.history().isEmpty()) {
                lines.add("-- the last " + welcome.history().size() + " messages --");
                welcome.history().forEach(said -> lines.add(said(said)));
                lines.add("-- now --");
            }
            lines.add(HOW_TO_LEAVE);
            return lines;
        }
        if (message instanceof ServerMessage.Said said) {
            return List.of(said(said));
        }
        if (message instanceof ServerMessage.Joined joined) {
            return List.of("* " + joined.name() + " joined");
        }
        if (message instanceof ServerMessage.Left left) {
            return List.of("* " + left.name() + " left");
        }
        return List.of("! " + ((ServerMessage.Refused) message).reason());
    }

    /** Why the chat ended when the user did not leave: the close code, its meaning and the reason given. */
    String disconnected(CloseReason reason) {
        int code = reason.getCloseCode().getCode();
        // 1006 is never sent (RFC 6455 §7.4.1): this side saw the connection end without a close handshake.
        String what = code == CloseReason.CloseCodes.CLOSED_ABNORMALLY.getCode()
                ? "! The connection to the server was lost: "
                : "! The server ended the chat: ";
        String meaning = reason.getCloseCode() instanceof CloseReason.CloseCodes known
                ? " " + known.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                : "";
        String phrase = reason.getReasonPhrase() == null || reason.getReasonPhrase().isEmpty()
                ? "no reason given"
                : reason.getReasonPhrase();
        return what + code + meaning + " (" + phrase + ").";
    }

    private String said(ServerMessage.Said said) {
        return "[" + clock.format(said.time()) + "] " + said.from() + ": " + said.text();
    }
}

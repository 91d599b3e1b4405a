package io.breakwater.samples.console;

import io.breakwater.samples.chat.ServerMessage;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** How the console shows what the server sends: one or more lines of plain text per message. */
final class ConsoleView {

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

    private String said(ServerMessage.Said said) {
        return "[" + clock.format(said.time()) + "] " + said.from() + ": " + said.text();
    }
}

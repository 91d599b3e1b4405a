package io.breakwater.samples.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.websocket.CloseReason;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What the console prints when the chat ends without the user leaving: who ended it, the code and the reason. */
class ConsoleViewTest {

    private final ConsoleView view = new ConsoleView(ZoneOffset.UTC);

    @Test
    void aCloseIsShownWithItsCodeItsMeaningAndItsReason() {
        assertEquals("! The server ended the chat: 1011 unexpected condition (database down).",
                view.disconnected(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "database down")));
        // 4000-4999 are the application's own codes (RFC 6455 §7.4.2): no meaning to show.
        assertEquals("! The server ended the chat: 4001 (no reason given).",
                view.disconnected(new CloseReason(CloseReason.CloseCodes.getCloseCode(4001), "")));
        assertEquals("! The connection to the server was lost: 1006 closed abnormally (no reason given).",
                view.disconnected(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, null)));
    }
}

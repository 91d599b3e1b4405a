package io.breakwater.testing;

import jakarta.websocket.Session;
import java.util.concurrent.TimeUnit;

/** Waits on {@link Session#isOpen()}, which turns false once the endpoint's onClose has returned. */
public final class OpenSessions {

    private OpenSessions() {
    }

    /** Whether {@code session} stopped being open within ten seconds. */
    public static boolean closedWithinTenSeconds(Session session) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (session.isOpen()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}

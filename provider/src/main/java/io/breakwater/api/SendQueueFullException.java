package io.breakwater.api;

import java.io.IOException;

/**
 * An asynchronous send was refused because the session's outgoing queue is full: the peer reads more
 * slowly than the application writes. The message was not sent; nothing already queued is affected.
 */
public final class SendQueueFullException extends IOException {

    SendQueueFullException(long queuedBytes, int messageBytes, long maxQueuedBytes) {
        super("send queue full: " + queuedBytes + " bytes not yet written, a message of " + messageBytes
                + " bytes would pass the limit of " + maxQueuedBytes);
    }
}

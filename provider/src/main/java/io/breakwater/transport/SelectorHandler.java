package io.breakwater.transport;

import java.io.IOException;
import java.nio.channels.SelectionKey;

/** What a {@link SelectorLoop} calls for a registered channel: the key's attachment. Called on the loop's thread. */
interface SelectorHandler {

    /** The channel is ready for some of the operations in its interest set. */
    void ready(SelectionKey key);

    /** The loop is stopping: close the channel now and report {@code cause} to whoever waits on it. */
    void loopStopped(IOException cause);
}

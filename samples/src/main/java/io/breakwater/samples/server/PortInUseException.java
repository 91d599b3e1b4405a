package io.breakwater.samples.server;

import java.io.IOException;

/** The port the chat was asked to listen on is taken; the message is what the user reads. */
public final class PortInUseException extends IOException {

    PortInUseException(int port, Throwable cause) {
        super("Port " + port + " is already in use; choose another with --port N or PORT=N.", cause);
    }
}

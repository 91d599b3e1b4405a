package io.breakwater.samples.server;

import java.io.IOException;

/** The chat cannot listen on the host it was given ({@code --host}, {@code HOST}); the message is for the user. */
public final class HostUnavailableException extends IOException {

    private HostUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    static HostUnavailableException unknown(String host, Throwable cause) {
        return new HostUnavailableException("Unknown host \"" + host
                + "\"; give --host a name this machine resolves, or an address such as 127.0.0.1.", cause);
    }

    static HostUnavailableException notLocal(String host, Throwable cause) {
        return new HostUnavailableException("Cannot listen on " + host + ": it is not an address of this machine;"
                + " choose another with --host H or HOST=H, or neither for every interface.", cause);
    }
}

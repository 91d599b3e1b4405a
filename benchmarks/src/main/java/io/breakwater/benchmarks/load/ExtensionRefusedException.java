package io.breakwater.benchmarks.load;

import java.io.IOException;

/** A server upgraded a connection without agreeing to an extension the measurement depends on. */
public final class ExtensionRefusedException extends IOException {

    private static final long serialVersionUID = 1L;

    public ExtensionRefusedException(String extension, String answered) {
        super("the server did not agree to " + extension + " (Sec-WebSocket-Extensions: \""
                + answered + "\")");
    }
}

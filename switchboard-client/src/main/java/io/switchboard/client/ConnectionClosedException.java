package io.switchboard.client;

import java.io.IOException;

/**
 * The connection is gone: fails every request still waiting for its answer when the connection ends, and
 * every call made on a client that is not (or no longer) connected.
 */
public class ConnectionClosedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient CloseReason reason;

    public ConnectionClosedException(CloseReason reason) {
        super(reason.toString());
        this.reason = reason;
    }

    public ConnectionClosedException(String message) {
        super(message);
        this.reason = null;
    }

    /** Why the connection ended, or {@code null} when it never was established. */
    public CloseReason reason() {
        return reason;
    }
}

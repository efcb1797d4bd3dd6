package io.switchboard.daemon.router;

/** A plane message that breaks the protocol: the connection that sent it is closed. */
public final class PlaneProtocolException extends Exception {

    public PlaneProtocolException(String message) {
        super(message, null, false, false);
    }
}

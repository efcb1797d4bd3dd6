package io.switchboard.globaldb;

/** globaldb could not be read or written (unreachable, timed out, malformed content). */
public class GlobalDbException extends RuntimeException {

    public GlobalDbException(String message) {
        super(message);
    }

    public GlobalDbException(String message, Throwable cause) {
        super(message, cause);
    }
}

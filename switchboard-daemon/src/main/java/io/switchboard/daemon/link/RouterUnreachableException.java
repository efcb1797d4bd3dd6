package io.switchboard.daemon.link;

/** The router is not connected, dropped, or did not answer in time: a command through it is UNREACHABLE. */
final class RouterUnreachableException extends Exception {

    RouterUnreachableException(String message) {
        super(message, null, false, false);
    }
}

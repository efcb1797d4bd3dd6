package io.switchboard.daemon.router;

import java.util.Locale;

/** Why the router refused or dropped a daemon's connection: a fixed set, so it can tag a metric. */
public enum RouterRefusal {
    CONNECTION_LIMIT, NOT_LOOPBACK, SECRET_MISMATCH, WRONG_PROOF, HELLO_TIMEOUT, UNKNOWN_MACHINE, ADDRESS_MISMATCH,
    DUPLICATE,
    PROTOCOL, BAD_FRAME, SILENT, NOT_READING;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}

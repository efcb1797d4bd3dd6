package io.switchboard.cluster.internal;

import java.nio.charset.StandardCharsets;

/**
 * Which end of a link a process is: nodes dial, gates accept. The role's label goes into the proof of the secret, so
 * a proof one end made can never pass for the other end's (a reflected answer does not verify).
 */
public enum LinkRole {
    DIALER("switchboard link dialer"),
    ACCEPTOR("switchboard link acceptor");

    private final byte[] label;

    LinkRole(String label) {
        this.label = label.getBytes(StandardCharsets.UTF_8);
    }

    byte[] label() {
        return label.clone();
    }

    LinkRole peer() {
        return this == DIALER ? ACCEPTOR : DIALER;
    }
}

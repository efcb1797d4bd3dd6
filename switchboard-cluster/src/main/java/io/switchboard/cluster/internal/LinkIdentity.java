package io.switchboard.cluster.internal;

/** Who one end of a link is: what it says in HELLO. */
public record LinkIdentity(int nodeId, String type) {
}

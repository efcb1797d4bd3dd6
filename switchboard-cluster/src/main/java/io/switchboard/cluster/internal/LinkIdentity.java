package io.switchboard.cluster.internal;

/** Who this process is on its links: what it says in HELLO. */
public record LinkIdentity(int nodeId, String type) {
}

package io.switchboard.gate.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The handshakes sessions keep, one copy for all the sessions that sent the same bytes: the clients of one app send
 * the same handshake, and idle connections are counted in the hundred thousands. A small fixed table, so a peer that
 * sends a new handshake each time only displaces entries (its memory is bounded), and a lookup is one hash and one
 * comparison.
 */
final class SharedHandshakes {
    private static final int SLOTS = 64;

    private final AtomicReferenceArray<byte[]> table = new AtomicReferenceArray<>(SLOTS);

    /** {@code handshake}, or an equal array kept before; neither is ever changed after this. */
    byte[] share(byte[] handshake) {
        int hash = Arrays.hashCode(handshake);
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        byte[] known = table.getAcquire(slot);
        if (known != null && Arrays.equals(known, handshake)) {
            return known;
        }
        table.setRelease(slot, handshake);
        return handshake;
    }
}

package io.switchboard.gate;

import io.switchboard.protocol.HandshakeRequest;

import java.net.SocketAddress;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * What an {@link Acceptor} knows about a connecting client: its handshake, where it comes from, and whether its
 * connection is still open, so an acceptor whose check waited in a queue can skip it for a client already gone.
 */
public record HandshakeInfo(HandshakeRequest handshake, SocketAddress remoteAddress, Transport transport,
                            BooleanSupplier open) {

    public HandshakeInfo {
        Objects.requireNonNull(open, "open");
    }

    /** A client whose connection counts as open throughout (tests, tools). */
    public HandshakeInfo(HandshakeRequest handshake, SocketAddress remoteAddress, Transport transport) {
        this(handshake, remoteAddress, transport, () -> true);
    }

    /** Whether the client's connection is still open; an acceptor's answer to a closed one is dropped. */
    public boolean isOpen() {
        return open.getAsBoolean();
    }

    /** How the client reached the gate. */
    public enum Transport { TCP, WEBSOCKET }
}

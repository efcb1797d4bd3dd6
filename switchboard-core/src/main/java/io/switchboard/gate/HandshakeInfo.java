package io.switchboard.gate;

import io.switchboard.protocol.HandshakeRequest;

import java.net.SocketAddress;

/** What an {@link Acceptor} knows about a connecting client: its handshake and where it comes from. */
public record HandshakeInfo(HandshakeRequest handshake, SocketAddress remoteAddress, Transport transport) {

    /** How the client reached the gate. */
    public enum Transport { TCP, WEBSOCKET }
}

package io.switchboard.cluster.internal;

import io.netty.util.AttributeKey;

/**
 * Whom a node meant to reach when it dialed: the registry's process id of the gate and the address listed for it.
 * Set on the dialing channel by {@link LinkDialer}; TLS checks the host, {@link DialedGateCheck} the identity.
 */
record DialedPeer(String id, String host, int port) {
    static final AttributeKey<DialedPeer> KEY = AttributeKey.valueOf("switchboard.dialedPeer");

    String address() {
        return host + ":" + port;
    }
}

package io.switchboard.cluster.internal;

import io.netty.channel.Channel;
import io.switchboard.cluster.LinkCloseReason;

import java.util.Optional;

/**
 * Whether an authenticated peer may link as the node it says it is, by the registry and the links already up.
 * Called on the link's event loop: must not block.
 */
@FunctionalInterface
public interface PeerCheck {
    /** Admits every peer: for tests of the link protocol alone. */
    PeerCheck ANY = (channel, peer) -> Optional.empty();

    /**
     * Empty when the peer may link; else why not. {@link LinkCloseReason#PEER_UNKNOWN} may be asked again: a registry
     * can trail a registration by a moment.
     */
    Optional<LinkCloseReason> refusal(Channel channel, LinkIdentity peer);
}

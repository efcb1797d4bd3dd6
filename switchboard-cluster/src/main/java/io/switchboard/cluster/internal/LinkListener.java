package io.switchboard.cluster.internal;

import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.protocol.proto.Envelope;

/** What a process does with its links. Called on the link's event loop: do not block. */
public interface LinkListener {

    /** The peer said HELLO; the link carries traffic from now on. */
    void linkUp(Link link);

    /** An envelope other than link upkeep arrived. */
    void received(Link link, Envelope envelope);

    /** An established link closed. */
    void linkDown(Link link, LinkCloseReason reason);
}

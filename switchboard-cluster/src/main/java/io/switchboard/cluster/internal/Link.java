package io.switchboard.cluster.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;

import java.time.Clock;

/**
 * One established cluster link: a channel whose peer has authenticated. Sending stamps the envelope with this hop's
 * time. Thread-safe; envelopes are plain objects, so a failed write leaks nothing.
 */
public final class Link {
    private final Channel channel;
    private final int peerNodeId;
    private final String peerType;
    private final Clock clock;

    Link(Channel channel, int peerNodeId, String peerType, Clock clock) {
        this.channel = channel;
        this.peerNodeId = peerNodeId;
        this.peerType = peerType;
        this.clock = clock;
    }

    public int peerNodeId() {
        return peerNodeId;
    }

    public String peerType() {
        return peerType;
    }

    public boolean isActive() {
        return channel.isActive();
    }

    /**
     * Whether the open link holds more unsent bytes than its high water mark (until they drain below the low one):
     * more written now would only queue. A closed link is not saturated; writes to it fail at once.
     */
    public boolean isSaturated() {
        return channel.isActive() && !channel.isWritable();
    }

    /** Writes the envelope with one more hop timestamp; the future fails when the link is down. */
    public ChannelFuture send(Envelope envelope) {
        return channel.writeAndFlush(Envelopes.stampHop(envelope, clock));
    }

    /** Closes the link, counted as {@code reason}. */
    public void close(LinkCloseReason reason) {
        LinkClose.close(channel, reason);
    }

    public Channel channel() {
        return channel;
    }

    @Override
    public String toString() {
        return "Link(" + peerType + "#" + peerNodeId + ", " + channel.remoteAddress() + ")";
    }
}

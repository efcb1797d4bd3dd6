package io.switchboard.cluster.internal;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.switchboard.cluster.LinkCloseReason;

/** Closes a link's channel with a reason; the first reason given is the one counted when the channel goes. */
final class LinkClose {
    private static final AttributeKey<LinkCloseReason> REASON = AttributeKey.valueOf("switchboard.linkClose");

    private LinkClose() {
    }

    static void close(Channel channel, LinkCloseReason reason) {
        channel.attr(REASON).setIfAbsent(reason);
        channel.close();
    }

    /** Why the channel closed: the first reason given, or the peer when this side gave none. */
    static LinkCloseReason reasonOf(Channel channel) {
        LinkCloseReason reason = channel.attr(REASON).get();
        return reason != null ? reason : LinkCloseReason.PEER_CLOSED;
    }
}

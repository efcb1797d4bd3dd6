package io.switchboard.gate.internal;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The reason a connection closed, remembered on the channel so listeners learn why; and whether the connection
 * dropped (the client vanished: end of stream, a reset, an I/O error, heartbeat silence) rather than ended cleanly (a
 * kick, a close by the gate or the app, a WebSocket close frame). Only a drop parks a session for a resume.
 */
public final class CloseReason {
    static final AttributeKey<String> KEY = AttributeKey.valueOf("switchboard.closeReason");
    static final AttributeKey<Boolean> DROPPED = AttributeKey.valueOf("switchboard.dropped");
    public static final String CLIENT_CLOSED = "connection closed";
    /** The client sent a WebSocket close frame: it meant to leave. */
    public static final String CLIENT_SAID_GOODBYE = "closed by client";
    /** The session was resumed on another connection while this one was still open. */
    public static final String RESUMED_ELSEWHERE = "resumed on another connection";

    private CloseReason() {
    }

    /** Records {@code reason} unless another reason was recorded first. */
    public static void set(Channel channel, String reason) {
        channel.attr(KEY).setIfAbsent(reason);
    }

    /** Records {@code reason} as a drop (the client is gone, not leaving), unless another reason came first. */
    static void setDropped(Channel channel, String reason) {
        if (channel.attr(KEY).setIfAbsent(reason) == null) {
            channel.attr(DROPPED).set(Boolean.TRUE);
        }
    }

    public static String of(Channel channel) {
        String reason = channel.attr(KEY).get();
        return reason == null ? CLIENT_CLOSED : reason;
    }

    /** Whether the connection dropped: no reason was recorded (end of stream, reset) or the one recorded was a drop. */
    static boolean isDrop(Channel channel) {
        return channel.attr(KEY).get() == null || Boolean.TRUE.equals(channel.attr(DROPPED).get());
    }
}

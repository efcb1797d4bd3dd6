package io.switchboard.gate.internal;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/** The reason a connection closed, remembered on the channel so listeners learn why. */
public final class CloseReason {
    static final AttributeKey<String> KEY = AttributeKey.valueOf("switchboard.closeReason");
    public static final String CLIENT_CLOSED = "connection closed";

    private CloseReason() {
    }

    /** Records {@code reason} unless another reason was recorded first. */
    public static void set(Channel channel, String reason) {
        channel.attr(KEY).setIfAbsent(reason);
    }

    public static String of(Channel channel) {
        String reason = channel.attr(KEY).get();
        return reason == null ? CLIENT_CLOSED : reason;
    }
}

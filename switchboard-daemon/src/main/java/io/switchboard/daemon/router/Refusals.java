package io.switchboard.daemon.router;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.DecoderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ends a daemon connection for a counted reason: with a {@code plane.refused} frame saying why, or without. */
final class Refusals {
    private static final Logger log = LoggerFactory.getLogger(Refusals.class);
    private final RouterMetrics metrics;

    Refusals(RouterMetrics metrics) {
        this.metrics = metrics;
    }

    /** Tells the peer why, then closes. */
    void refuse(Channel channel, RouterRefusal reason, String why) {
        count(channel, reason, why);
        channel.writeAndFlush(PlaneMessages.refused(why)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Closes without a word: the peer broke the protocol or the framing, so nothing more is sent to it. */
    void drop(Channel channel, RouterRefusal reason, String why) {
        count(channel, reason, why);
        channel.close();
    }

    /** A pipeline error: a bad frame is counted and closes; an I/O error just closes. */
    void failed(Channel channel, Throwable cause, String who) {
        if (cause instanceof DecoderException) {
            drop(channel, RouterRefusal.BAD_FRAME, who + ": " + cause.getMessage());
        } else {
            log.debug("router: daemon connection {} failed", channel.remoteAddress(), cause);
            channel.close();
        }
    }

    private void count(Channel channel, RouterRefusal reason, String why) {
        metrics.refused(reason);
        log.warn("router: daemon connection {}: {}; closing ({})", channel.remoteAddress(), why, reason.tag());
    }
}

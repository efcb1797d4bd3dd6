package io.switchboard.daemon.router;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.DecoderException;
import io.switchboard.common.log.LogWindow;
import io.switchboard.common.log.LogWindows;
import io.switchboard.common.text.LogText;
import io.switchboard.common.time.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Ends a daemon connection for a counted reason: with a {@code plane.refused} frame saying why, or without. Every
 * refusal is counted; the log has at most one line per reason per {@link #LOG_EVERY}, since whoever reaches the port
 * decides how often refusals happen.
 */
final class Refusals {
    static final Duration LOG_EVERY = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(Refusals.class);
    private final RouterMetrics metrics;
    private final LogWindows<RouterRefusal> logWindows;

    Refusals(RouterMetrics metrics, Ticker ticker) {
        this.metrics = metrics;
        this.logWindows = new LogWindows<>(RouterRefusal.class, ticker, LOG_EVERY);
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
        long heldBack = logWindows.admit(reason);
        if (heldBack >= 0) {
            // why may quote the peer (a HELLO's ip, a route): one line, whatever it sent.
            log.warn("router: daemon connection {}: {}; closing ({}){}", channel.remoteAddress(),
                    LogText.printable(why), reason.tag(),
                    LogWindow.heldBackNote(heldBack));
        }
    }
}

package io.switchboard.gate.internal;

import io.netty.channel.Channel;
import io.switchboard.common.log.LogWindow;
import io.switchboard.common.log.LogWindows;
import io.switchboard.common.time.Ticker;
import io.switchboard.gate.KickCode;
import org.slf4j.Logger;

import java.time.Duration;

/**
 * Log lines about connections the gate ends, at most one per {@link KickCode} per interval: what they report comes
 * from clients, so without a bound any client could flood the log. A line says how many like it were held back.
 */
final class KickLog {
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final Logger log;
    private final LogWindows<KickCode> windows;

    KickLog(Logger log, Ticker ticker) {
        this.log = log;
        this.windows = new LogWindows<>(KickCode.class, ticker, INTERVAL);
    }

    /** {@code closing <address>: <detail>} at INFO, unless a line for {@code code} went out within the interval. */
    void info(KickCode code, Channel channel, String detail) {
        long heldBack = windows.admit(code);
        if (heldBack >= 0) {
            log.info("closing {}: {}{}", channel.remoteAddress(), detail, LogWindow.heldBackNote(heldBack));
        }
    }

    /** The same at WARN with the stack trace of {@code cause}. */
    void warn(KickCode code, Channel channel, String detail, Throwable cause) {
        long heldBack = windows.admit(code);
        if (heldBack >= 0) {
            log.warn("closing {}: {}{}", channel.remoteAddress(), detail, LogWindow.heldBackNote(heldBack), cause);
        }
    }
}

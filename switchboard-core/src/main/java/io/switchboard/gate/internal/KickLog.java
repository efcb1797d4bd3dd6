package io.switchboard.gate.internal;

import io.netty.channel.Channel;
import io.switchboard.common.time.Ticker;
import io.switchboard.gate.KickCode;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Log lines about connections the gate ends, at most one per {@link KickCode} per interval: what they report comes
 * from clients, so without a bound any client could flood the log. A line says how many like it were held back.
 */
final class KickLog {
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final Logger log;
    private final Ticker ticker;
    private final long intervalNanos = INTERVAL.toNanos();
    private final Map<KickCode, Window> windows = new EnumMap<>(KickCode.class);

    /** When the next line for one code may go out, and how many were held back since the last. */
    private static final class Window {
        final AtomicLong next;
        final AtomicLong heldBack = new AtomicLong();

        Window(long next) {
            this.next = new AtomicLong(next);
        }
    }

    KickLog(Logger log, Ticker ticker) {
        this.log = log;
        this.ticker = ticker;
        long now = ticker.nanoTime();
        for (KickCode code : KickCode.values()) {
            windows.put(code, new Window(now));
        }
    }

    /** {@code closing <address>: <detail>} at INFO, unless a line for {@code code} went out within the interval. */
    void info(KickCode code, Channel channel, String detail) {
        long heldBack = admit(code);
        if (heldBack >= 0) {
            log.info("closing {}: {}{}", channel.remoteAddress(), detail, heldBackNote(heldBack));
        }
    }

    /** The same at WARN with the stack trace of {@code cause}. */
    void warn(KickCode code, Channel channel, String detail, Throwable cause) {
        long heldBack = admit(code);
        if (heldBack >= 0) {
            log.warn("closing {}: {}{}", channel.remoteAddress(), detail, heldBackNote(heldBack), cause);
        }
    }

    /** The number of lines held back since the last one when this one may go out; -1 when it is held back too. */
    private long admit(KickCode code) {
        Window window = windows.get(code);
        long now = ticker.nanoTime();
        long next = window.next.get();
        if (now - next >= 0 && window.next.compareAndSet(next, now + intervalNanos)) {
            return window.heldBack.getAndSet(0);
        }
        window.heldBack.incrementAndGet();
        return -1;
    }

    private static String heldBackNote(long heldBack) {
        return heldBack == 0 ? "" : " (and " + heldBack + " more like it since the last line)";
    }
}

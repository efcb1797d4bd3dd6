package io.switchboard.cluster.internal;

import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.common.log.LogWindow;
import io.switchboard.common.log.LogWindows;
import io.switchboard.common.time.Ticker;
import org.slf4j.Logger;

import java.time.Duration;

/**
 * Warnings about the links a process closes, at most one per {@link LinkCloseReason} per interval and link port: a
 * peer that has not authenticated decides how often its links fail (a wrong proof, a bad frame, a silent connect), so
 * without a bound anyone who reaches the port could fill the log. A line says how many like it were held back; every
 * close is counted in the metrics whatever the log shows.
 */
final class LinkCloseLog {
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final LogWindows<LinkCloseReason> windows;

    LinkCloseLog(Ticker ticker) {
        windows = new LogWindows<>(LinkCloseReason.class, ticker, INTERVAL);
    }

    /** {@code cluster link <peer>: <why>; closing (<reason>)} at WARN, unless one for {@code reason} went out lately */
    void warn(Logger log, LinkCloseReason reason, Object peer, String why) {
        long heldBack = windows.admit(reason);
        if (heldBack >= 0) {
            log.warn("cluster link {}: {}; closing ({}){}", peer, why, reason, LogWindow.heldBackNote(heldBack));
        }
    }
}

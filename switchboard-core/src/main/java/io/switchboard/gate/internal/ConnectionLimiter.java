package io.switchboard.gate.internal;

import io.netty.channel.Channel;
import io.switchboard.common.time.Ticker;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.KickCode;
import io.switchboard.gate.KickReasons;
import io.switchboard.metrics.GateMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admits client connections under the caps on open connections, in all and per IP address: one over a cap is counted
 * and closed at once, before anything is allocated for it; an admitted one is counted until it closes.
 */
final class ConnectionLimiter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final int maxTotal;
    private final int maxPerAddress;
    private final GateMetrics metrics;
    private final KickLog kickLog;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    ConnectionLimiter(int maxTotal, int maxPerAddress, GateMetrics metrics, Ticker ticker) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.metrics = metrics;
        this.kickLog = new KickLog(log, ticker);
    }

    /**
     * Whether {@code channel} may stay open; if not, it has been closed. An admitted channel is counted until
     * {@link #release(Channel)}, which the caller runs when it closes.
     */
    boolean admit(Channel channel) {
        int open = total.incrementAndGet();
        if (maxTotal != GateConfig.NO_LIMIT && open > maxTotal) {
            total.decrementAndGet();
            refuse(channel, KickCode.CONNECTION_LIMIT, KickReasons.CONNECTION_LIMIT);
            return false;
        }
        InetAddress address = maxPerAddress != GateConfig.NO_LIMIT
                && channel.remoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null;
        if (address != null && perAddress.merge(address, 1, Integer::sum) > maxPerAddress) {
            release(address);
            refuse(channel, KickCode.IP_CONNECTION_LIMIT, KickReasons.IP_CONNECTION_LIMIT);
            return false;
        }
        return true;
    }

    /** An admitted channel closed. */
    void release(Channel channel) {
        release(maxPerAddress != GateConfig.NO_LIMIT && channel.remoteAddress() instanceof InetSocketAddress remote
                ? remote.getAddress() : null);
    }

    private void refuse(Channel channel, KickCode code, String reason) {
        metrics.kicked(code);
        kickLog.info(code, channel, reason);
        channel.close();
    }

    private void release(InetAddress address) {
        total.decrementAndGet();
        if (address != null) {
            perAddress.computeIfPresent(address, (a, open) -> open == 1 ? null : open - 1);
        }
    }
}

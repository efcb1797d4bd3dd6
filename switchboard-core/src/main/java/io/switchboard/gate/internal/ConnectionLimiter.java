package io.switchboard.gate.internal;

import io.netty.channel.Channel;
import io.switchboard.common.time.Ticker;
import io.switchboard.gate.ClientAddresses;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.KickCode;
import io.switchboard.gate.KickReasons;
import io.switchboard.metrics.GateMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admits client connections under the caps on open connections, in all and per IP address (an IPv6 client per /64,
 * {@link ClientAddresses}): one over a cap is counted and closed at once, before anything is allocated for it; an
 * admitted one is counted until it closes.
 */
final class ConnectionLimiter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final int maxTotal;
    private final int maxPerAddress;
    private final GateMetrics metrics;
    private final KickLog kickLog;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();

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
        String address = addressOf(channel);
        if (address != null && perAddress.merge(address, 1, Integer::sum) > maxPerAddress) {
            release(address);
            refuse(channel, KickCode.IP_CONNECTION_LIMIT, KickReasons.IP_CONNECTION_LIMIT);
            return false;
        }
        return true;
    }

    /** An admitted channel closed. */
    void release(Channel channel) {
        release(addressOf(channel));
    }

    /** The key {@code channel} is counted under per address; {@code null} when that is not counted or not known. */
    private String addressOf(Channel channel) {
        return maxPerAddress != GateConfig.NO_LIMIT ? ClientAddresses.keyOf(channel.remoteAddress()) : null;
    }

    private void refuse(Channel channel, KickCode code, String reason) {
        metrics.kicked(code);
        kickLog.info(code, channel, reason);
        channel.close();
    }

    private void release(String address) {
        total.decrementAndGet();
        if (address != null) {
            perAddress.computeIfPresent(address, (a, open) -> open == 1 ? null : open - 1);
        }
    }
}

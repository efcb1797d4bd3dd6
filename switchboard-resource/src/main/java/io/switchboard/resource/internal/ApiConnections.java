package io.switchboard.resource.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.switchboard.admin.HttpConnectionCaps;
import io.switchboard.common.time.Ticker;
import io.switchboard.runtime.ConnectionQuota;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bounds on the {@code /v1} port's connections: at most {@code maxTotal} open, at most {@code maxPerAddress} from
 * one IP address (keep-alive connections and parked watches count alike; {@link HttpConnectionCaps}, which answers one
 * over a cap 503 before anything else is allocated for it, counts refusals under fixed tags and logs them at most once
 * per interval), and a connection that has no request in hand and no watch parked is closed after {@code idleTimeout}
 * of ticker time. Confined to the manager's event loop, where every connection of the port lives.
 */
final class ApiConnections {
    private final long idleTimeout;
    private final Ticker ticker;
    private final HttpConnectionCaps caps;
    /** Connections with nothing in hand, oldest idle first: a re-insert moves one to the end, so a sweep stops early. */
    private final LinkedHashMap<Channel, Long> idleSince = new LinkedHashMap<>();
    private final Counter idleClosed;

    ApiConnections(int maxTotal, int maxPerAddress, Duration idleTimeout, Ticker ticker, MeterRegistry meters) {
        this.idleTimeout = idleTimeout.toNanos();
        this.ticker = ticker;
        Map<ConnectionQuota.Cap, Counter> refused = new EnumMap<>(ConnectionQuota.Cap.class);
        for (ConnectionQuota.Cap cap : ConnectionQuota.Cap.values()) {
            refused.put(cap, Counter.builder("switchboard.resource.api.refused").tag("cap", cap.tag())
                    .description("/v1 connections refused over a connection cap").register(meters));
        }
        this.caps = new HttpConnectionCaps("/v1 port", maxTotal, maxPerAddress, ticker,
                cap -> refused.get(cap).increment());
        Gauge.builder("switchboard.resource.api.connections", caps, HttpConnectionCaps::open)
                .description("Open connections on the /v1 port").register(meters);
        idleClosed = Counter.builder("switchboard.resource.api.idle.closed")
                .description("/v1 connections closed after the idle timeout with no request or watch").register(meters);
    }

    /** Whether the new connection {@code channel} may stay; if not, it will be answered 503 and closed. */
    boolean admit(Channel channel) {
        if (!caps.admit(channel)) {
            return false;
        }
        idle(channel);
        channel.closeFuture().addListener(closed -> idleSince.remove(channel));
        return true;
    }

    /** {@code channel} has a request in hand, or a watch parked: the idle timeout does not run. */
    void busy(Channel channel) {
        idleSince.remove(channel);
    }

    /** {@code channel} answered its request: the idle timeout runs from now. */
    void idle(Channel channel) {
        if (channel.isActive()) {
            idleSince.remove(channel);
            idleSince.put(channel, ticker.nanoTime());
        }
    }

    /** Closes the connections idle for the whole timeout at {@code now} (ticker nanoseconds). */
    void expire(long now) {
        for (Iterator<Map.Entry<Channel, Long>> idle = idleSince.entrySet().iterator(); idle.hasNext(); ) {
            Map.Entry<Channel, Long> oldest = idle.next();
            if (now - oldest.getValue() < idleTimeout) {
                return;
            }
            idle.remove();
            idleClosed.increment();
            oldest.getKey().close();
        }
    }

    int open() {
        return caps.open();
    }

    /** The handler that tells busy from idle on one connection: a request read makes it busy, a response written idle. */
    ChannelHandler tracker() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof FullHttpRequest) {
                    busy(ctx.channel());
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
                if (msg instanceof FullHttpResponse) {
                    idle(ctx.channel());
                }
                super.write(ctx, msg, promise);
            }
        };
    }
}

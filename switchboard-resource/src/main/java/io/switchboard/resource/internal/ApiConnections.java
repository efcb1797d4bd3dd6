package io.switchboard.resource.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.common.log.LogWindow;
import io.switchboard.common.time.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bounds on the {@code /v1} port's connections: at most {@code maxTotal} open, at most {@code maxPerAddress} from
 * one IP address (keep-alive connections and parked watches count alike), and a connection that has no request in
 * hand and no watch parked is closed after {@code idleTimeout} of ticker time. One over a cap is answered 503 with a
 * JSON error and closed at once, before anything else is allocated for it; refusals are counted (fixed tags) and
 * logged at most once per {@link #LOG_EVERY}, since whoever connects decides how often they happen. Confined to the
 * manager's event loop, where every connection of the port lives.
 */
final class ApiConnections {
    private static final Logger log = LoggerFactory.getLogger(ApiConnections.class);
    static final Duration LOG_EVERY = Duration.ofSeconds(10);

    private final int maxTotal;
    private final int maxPerAddress;
    private final long idleTimeout;
    private final Ticker ticker;
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    /** Connections with nothing in hand, oldest idle first: a re-insert moves one to the end, so a sweep stops early. */
    private final LinkedHashMap<Channel, Long> idleSince = new LinkedHashMap<>();
    private final Counter refusedTotal;
    private final Counter refusedPerAddress;
    private final Counter idleClosed;
    private final LogWindow refusalLog;
    private int open;

    ApiConnections(int maxTotal, int maxPerAddress, Duration idleTimeout, Ticker ticker, MeterRegistry meters) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.idleTimeout = idleTimeout.toNanos();
        this.ticker = ticker;
        this.refusalLog = new LogWindow(ticker, LOG_EVERY);
        Gauge.builder("switchboard.resource.api.connections", this, connections -> connections.open)
                .description("Open connections on the /v1 port").register(meters);
        refusedTotal = refused(meters, "total");
        refusedPerAddress = refused(meters, "per_ip");
        idleClosed = Counter.builder("switchboard.resource.api.idle.closed")
                .description("/v1 connections closed after the idle timeout with no request or watch").register(meters);
    }

    private static Counter refused(MeterRegistry meters, String cap) {
        return Counter.builder("switchboard.resource.api.refused").tag("cap", cap)
                .description("/v1 connections refused over a connection cap").register(meters);
    }

    /** Whether the new connection {@code channel} may stay; if not, it has been answered 503 and is closing. */
    boolean admit(Channel channel) {
        if (open >= maxTotal) {
            refuse(channel, refusedTotal, "the /v1 port has " + maxTotal + " connections open: retry later");
            return false;
        }
        InetAddress address = channel.remoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null;
        if (address != null && perAddress.getOrDefault(address, 0) >= maxPerAddress) {
            refuse(channel, refusedPerAddress, "this address has " + maxPerAddress
                    + " connections open to the /v1 port: close some or retry later");
            return false;
        }
        open++;
        if (address != null) {
            perAddress.merge(address, 1, Integer::sum);
        }
        idle(channel);
        channel.closeFuture().addListener(closed -> release(channel, address));
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
        return open;
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

    private void release(Channel channel, InetAddress address) {
        open--;
        idleSince.remove(channel);
        if (address != null) {
            perAddress.computeIfPresent(address, (a, count) -> count == 1 ? null : count - 1);
        }
    }

    private void refuse(Channel channel, Counter counter, String message) {
        counter.increment();
        long heldBack = refusalLog.admit();
        if (heldBack >= 0) {
            log.warn("/v1 connection from {} refused: {}{}", channel.remoteAddress(), message,
                    LogWindow.heldBackNote(heldBack));
        }
        FullHttpResponse response = ApiResponses.response(
                ApiAnswer.error(HttpResponseStatus.SERVICE_UNAVAILABLE, message), -1);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.RETRY_AFTER, "1");
        // Answered before its request is read: nothing of the refused peer's is parsed or held.
        channel.pipeline().addLast(new HttpResponseEncoder());
        channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}

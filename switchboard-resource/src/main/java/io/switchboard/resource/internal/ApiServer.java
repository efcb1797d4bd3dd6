package io.switchboard.resource.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.switchboard.common.time.Ticker;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.switchboard.transport.Transports;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The {@code /v1} port: HTTP/1.1 with small bounds (a GET and a registry record need no more), the {@link ApiGuard}, the
 * {@link WatchHub} of parked watches, and the {@link ApiConnections} caps and idle timeout on its connections. It also
 * serves the topology page ({@link UiPage}). Runs on the group it is given, which is the manager's one event loop.
 */
public final class ApiServer {
    /** Request line and headers: enough for any path and query this API takes, small enough to hold many. */
    private static final int MAX_INITIAL_LINE = 4_096;
    private static final int MAX_HEADERS = 8_192;
    /**
     * GET requests carry no body; a registry PUT carries one process's record, routes included: 64 KiB holds
     * thousands of routes. A larger body is refused (413) before it is read whole.
     */
    private static final int MAX_BODY = 64 * 1_024;

    private final ApiGuard guard;
    private final ApiConnections limits;
    private final ApiRouter router;
    private final WatchHub hub;
    private final Ticker ticker;
    private final Duration maxWait;
    private final ApiHandler.Sequence sequence = new ApiHandler.Sequence();
    private final UiPage page = new UiPage();
    /** Every open connection, closed with the server: a client must not keep sending to a manager that is gone. */
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private Channel channel;

    public ApiServer(Catalog catalog, Registrations registrations, ApiGuard guard, Ticker ticker, Duration maxWait,
                     int maxWatches, ConnectionLimits limits, MeterRegistry meters) {
        this.guard = guard;
        this.limits = new ApiConnections(limits.maxTotal(), limits.maxPerIp(), limits.idleTimeout(), ticker, meters);
        this.router = new ApiRouter(catalog, registrations);
        this.hub = new WatchHub(maxWatches, meters);
        this.ticker = ticker;
        this.maxWait = maxWait;
    }

    /** Binds {@code host:port} (0 picks a free port) on {@code group}. */
    public ApiServer bind(EventLoopGroup group, String host, int port) throws InterruptedException {
        channel = new ServerBootstrap().group(group).channel(Transports.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        if (!limits.admit(ch)) {
                            return;
                        }
                        ch.pipeline().addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, MAX_BODY),
                                new HttpObjectAggregator(MAX_BODY), limits.tracker(),
                                new ApiHandler(guard, router, hub, ticker, maxWait, sequence, page));
                    }
                })
                .bind(host, port).sync().channel();
        return this;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** On the loop: the served state changed; answers the watches it concerns. */
    public void changed() {
        hub.changed();
    }

    /**
     * On the loop: answers the watches whose wait is over at {@code now} (ticker nanoseconds), and closes the
     * connections idle for the idle timeout.
     */
    public void expire(long now) {
        hub.expire(now);
        limits.expire(now);
    }

    /** On the loop: connections open now (refused ones not counted). */
    public int connections() {
        return limits.open();
    }

    /** On the loop: watches parked now. */
    public int watches() {
        return hub.size();
    }

    /** On the loop: answers the parked watches and stops listening. */
    public void close() {
        hub.answerAll();
        if (channel != null) {
            channel.close();
        }
        connections.close();
    }
}

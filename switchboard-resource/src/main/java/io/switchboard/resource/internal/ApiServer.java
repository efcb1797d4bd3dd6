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
import io.netty.util.concurrent.GlobalEventExecutor;
import io.switchboard.admin.HttpRefusal;
import io.switchboard.admin.MalformedRequests;
import io.switchboard.admin.WriteBackpressure;
import io.switchboard.common.time.Ticker;
import io.switchboard.transport.Transports;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The {@code /v1} port: HTTP/1.1 with small bounds (a GET and a registry record need no more; a request the codec
 * cannot decode is answered 414, 431 or 400 and closed), the {@link ApiGuard}, the {@link WatchHub} of parked watches,
 * the {@link ApiConnections} caps and idle timeout on its connections (which also bounds a request that arrives slowly:
 * the idle time runs until a request is whole), and {@link WriteBackpressure} for peers that do not read their answers.
 * It also serves the topology page ({@link UiPage}). Runs on the group it is given, which is the manager's one event
 * loop.
 */
public final class ApiServer {
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
    private final Duration stalledReaderTimeout;
    private final ApiHandler.Sequence sequence = new ApiHandler.Sequence();
    private final UiPage page = new UiPage();
    /** Every open connection, closed with the server: a client must not keep sending to a manager that is gone. */
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private Channel channel;

    public ApiServer(Catalog catalog, Registrations registrations, ApiGuard guard, Ticker ticker, Duration maxWait,
                     int maxWatches, ConnectionLimits limits, MeterRegistry meters) {
        this.guard = guard;
        this.limits = new ApiConnections(limits.maxTotal(), limits.maxPerIp(), limits.idleTimeout(), ticker, meters);
        this.stalledReaderTimeout = limits.stalledReaderTimeout();
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
                        ch.pipeline().addLast(new HttpServerCodec(MalformedRequests.MAX_REQUEST_LINE,
                                        MalformedRequests.MAX_HEADERS, MAX_BODY),
                                new MalformedRequests(HttpRefusal.json()),
                                new WriteBackpressure(ticker, stalledReaderTimeout),
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

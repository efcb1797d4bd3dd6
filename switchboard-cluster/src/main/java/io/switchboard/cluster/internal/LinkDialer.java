package io.switchboard.cluster.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.switchboard.cluster.LinkSettings;
import io.switchboard.common.time.Backoff;
import io.switchboard.transport.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one link to one peer up: dials, and when the connection fails or drops, dials again after a delay that
 * doubles from {@link LinkSettings#reconnectMin()} to {@link LinkSettings#reconnectMax()}. A link that reached
 * authentication resets the delay (see {@link #linked()}).
 */
public final class LinkDialer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LinkDialer.class);

    private final String peer;
    private final String host;
    private final int port;
    private final LinkSettings settings;
    private final EventLoopGroup group;
    private final LinkChannelInitializer initializer;
    /** Guarded by this dialer. */
    private final Backoff.Attempts attempts;
    private Channel channel;
    private boolean closed;

    public LinkDialer(String peer, String address, LinkSettings settings, EventLoopGroup group,
                      LinkChannelInitializer initializer) {
        this.peer = peer;
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("cluster address is host:port, was '" + address + "'");
        }
        this.host = address.substring(0, colon);
        this.port = Integer.parseInt(address.substring(colon + 1));
        this.settings = settings;
        this.group = group;
        this.initializer = initializer;
        this.attempts = new Backoff(settings.reconnectMin(), settings.reconnectMax()).attempts();
    }

    public synchronized LinkDialer start() {
        dial();
        return this;
    }

    private synchronized void dial() {
        if (closed) {
            return;
        }
        ChannelFuture connect = new Bootstrap()
                .group(group)
                .channel(Transports.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .attr(DialedPeer.KEY, new DialedPeer(peer, host, port))
                .handler(initializer)
                .connect(host, port);
        channel = connect.channel();
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                log.debug("cannot link to {} at {}:{}: {}", peer, host, port, f.cause().toString());
                retry();
            } else {
                connect.channel().closeFuture().addListener(c -> retry());
            }
        });
    }

    private synchronized void retry() {
        if (closed) {
            return;
        }
        Duration wait = attempts.next();
        group.schedule(this::dial, wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The peer authenticated: the next drop starts again from the shortest delay. */
    public synchronized void linked() {
        attempts.reset();
    }

    /** Stops dialing and closes the current connection. */
    @Override
    public synchronized void close() {
        closed = true;
        if (channel != null) {
            channel.close();
        }
    }
}

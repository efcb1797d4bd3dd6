package io.switchboard.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.switchboard.bench.internal.BaselineInitializer;
import io.switchboard.transport.Transports;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The raw-Netty reference the benchmarks divide by: the same wire protocol as Switchboard (Pomelo packages
 * and messages, handshake, heartbeat replies, one port for TCP and WebSocket) and the demo routes
 * ({@code demo.echo.*}, {@code demo.room.*}), written as plainly as Netty allows: no sessions, no filters, no
 * hop off the event loop. What Switchboard costs on top of this is what its framework costs.
 */
public final class BaselineServer implements AutoCloseable {
    /** Heartbeat interval announced in the handshake; idle clients are closed after twice this. */
    public static final int DEFAULT_HEARTBEAT_SECONDS = 30;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ChannelGroup channels = new DefaultChannelGroup("baseline", GlobalEventExecutor.INSTANCE);
    private final Channel server;

    private BaselineServer(InetSocketAddress bind, int threads, int heartbeatSeconds) throws InterruptedException {
        boss = Transports.newGroup(1, "baseline-accept");
        workers = Transports.newGroup(threads, "baseline-io");
        try {
            server = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(Transports.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new BaselineInitializer(channels, heartbeatSeconds))
                    .bind(bind).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            shutdown();
            throw e;
        }
    }

    /** Starts on 127.0.0.1 with one I/O thread per core; port 0 picks a free port. */
    public static BaselineServer start(int port) throws InterruptedException {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                Runtime.getRuntime().availableProcessors(), DEFAULT_HEARTBEAT_SECONDS);
    }

    /** @param threads I/O threads, 0 for Netty's default (two per core) */
    public static BaselineServer start(InetSocketAddress bind, int threads, int heartbeatSeconds)
            throws InterruptedException {
        return new BaselineServer(bind, threads, heartbeatSeconds);
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Connections open right now. */
    public int connections() {
        return channels.size();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutdown();
    }

    private void shutdown() {
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}

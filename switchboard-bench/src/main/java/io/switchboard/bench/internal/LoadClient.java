package io.switchboard.bench.internal;

import io.switchboard.transport.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.switchboard.protocol.PomeloPackageDecoder;
import io.switchboard.protocol.websocket.BinaryFrameDecoder;
import io.switchboard.protocol.websocket.BinaryFrameEncoder;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Opens generator connections to one target, over raw TCP or WebSocket, on its own event loops. */
public final class LoadClient implements AutoCloseable {
    private static final int MAX_FRAME = 1 << 24;

    private final InetSocketAddress target;
    private final boolean websocket;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;

    public LoadClient(InetSocketAddress target, boolean websocket, int threads) {
        this.target = target;
        this.websocket = websocket;
        this.group = Transports.newGroup(threads, "bench-client");
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(Transports.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 15_000);
    }

    /**
     * Connects and runs the handshake.
     *
     * @param local source address to bind, or {@code null} to let the kernel choose; spreading connections
     *              over several 127.0.0.x addresses is how one machine opens more than 64k of them
     */
    public CompletableFuture<BenchConnection> connect(InetAddress local) {
        return connect(local, new BenchConnection(websocket));
    }

    /** Connects and runs a handshake whose {@code user} is {@code userJson} (a resume's token and count). */
    public CompletableFuture<BenchConnection> connect(InetAddress local, String userJson) {
        return connect(local, new BenchConnection(websocket, BenchConnection.handshake(userJson)));
    }

    private CompletableFuture<BenchConnection> connect(InetAddress local, BenchConnection connection) {
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ChannelPipeline p = ch.pipeline();
                if (websocket) {
                    URI uri = URI.create("ws://" + target.getHostString() + ":" + target.getPort() + "/");
                    p.addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                            new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(
                                    uri, WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), MAX_FRAME)),
                            BinaryFrameDecoder.INSTANCE, BinaryFrameEncoder.INSTANCE);
                }
                p.addLast(new PomeloPackageDecoder(), connection);
            }
        });
        (local == null ? b.connect(target) : b.connect(target, new InetSocketAddress(local, 0)))
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        connection.ready().completeExceptionally(f.cause());
                        connection.closed().complete(null);
                    }
                });
        return connection.ready();
    }

    public EventLoopGroup group() {
        return group;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}

package io.switchboard.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Dials raw TCP: {@code tcp://host:port}, or {@code tls://host:port} with TLS under the Pomelo byte stream.
 * Stateless; one instance serves any number of clients.
 */
public final class TcpDialer implements Dialer {
    public static final TcpDialer INSTANCE = new TcpDialer();

    @Override
    public CompletableFuture<Channel> dial(DialContext context) {
        CompletableFuture<Channel> result = new CompletableFuture<>();
        DialGuard guard = new DialGuard(result);
        connect(context, result, pipeline -> pipeline.addLast(guard), channel -> {
            channel.pipeline().replace(guard, null, context.handler());
            result.complete(channel);
        });
        return result;
    }

    /** Until the client's handler takes over, a failure in the pipeline (TLS, mostly) fails the dial. */
    private static final class DialGuard extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<Channel> result;

        DialGuard(CompletableFuture<Channel> result) {
            this.result = result;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(cause instanceof DecoderException && cause.getCause() != null
                    ? cause.getCause() : cause);
            ctx.close();
        }
    }

    /**
     * Connects and, for a secure scheme, runs the TLS handshake; then calls {@code onSecured} on the channel's
     * event loop. {@code transport} adds handlers behind the TLS handler before the channel connects, so they
     * see it become active (the WebSocket upgrade starts then; TLS holds its request until the handshake is
     * done). A failure of the connect or of TLS fails {@code result}; any failure of {@code result}, a
     * cancellation included, closes the channel. Shared with {@link WebSocketDialer}.
     */
    static void connect(DialContext context, CompletableFuture<Channel> result, Consumer<ChannelPipeline> transport,
                        Consumer<Channel> onSecured) {
        String host = context.host();
        int port = context.port();
        if (context.secure() && context.sslContext() == null) {
            result.completeExceptionally(new IllegalArgumentException(context.target() + " needs a TLS context"));
            return;
        }
        Bootstrap bootstrap = new Bootstrap()
                .group(context.group())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, context.connectTimeoutMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (context.secure()) {
                            SslHandler ssl = context.sslContext().newHandler(ch.alloc(), host, port);
                            ssl.setHandshakeTimeoutMillis(context.connectTimeoutMillis());
                            ch.pipeline().addLast(ssl);
                        }
                        transport.accept(ch.pipeline());
                    }
                });
        ChannelFuture connect = bootstrap.connect(host, port);
        result.whenComplete((channel, failure) -> {
            if (failure != null) {
                connect.channel().close();
            }
        });
        connect.addListener((ChannelFuture connected) -> {
            if (!connected.isSuccess()) {
                result.completeExceptionally(connected.cause());
                return;
            }
            Channel channel = connected.channel();
            SslHandler ssl = channel.pipeline().get(SslHandler.class);
            if (ssl == null) {
                secured(channel, result, onSecured);
                return;
            }
            ssl.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    secured(channel, result, onSecured);
                } else {
                    result.completeExceptionally(handshake.cause());
                }
            });
        });
    }

    private static void secured(Channel channel, CompletableFuture<Channel> result, Consumer<Channel> onSecured) {
        if (result.isDone()) {
            return;
        }
        try {
            onSecured.accept(channel);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }
}

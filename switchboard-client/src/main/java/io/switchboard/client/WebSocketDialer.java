package io.switchboard.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.switchboard.protocol.PackageHeader;
import io.switchboard.protocol.PomeloProtocolException;
import io.switchboard.protocol.websocket.BinaryFrameDecoder;
import io.switchboard.protocol.websocket.BinaryFrameEncoder;
import io.switchboard.protocol.websocket.WebSocketPings;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.CompletableFuture;

/**
 * Dials WebSocket: {@code ws://host:port[/path]} or {@code wss://...}. After the HTTP upgrade every Pomelo
 * package goes out in its own binary frame, and inbound binary frames (fragmented ones joined) feed the
 * package decoder. Closing the channel sends a WebSocket close frame first. A server's pings get at most one pong
 * per read, and none while the client's writes are backed up, so a server that pings without reading cannot make
 * the client buffer pongs.
 *
 * <p>A frame, or a fragmented message joined, may be as long as one package the client reads,
 * {@link DialContext#maxPackageLength()} (the client's {@code maxBodyLength} + 4): Switchboard gates, like Pomelo's
 * WebSocket connector, send each package in a frame of its own. A longer one closes the connection as a protocol
 * error ({@code "WebSocket frame too large: ..."}), as a body over {@code maxBodyLength} does; a frame is refused on
 * its header, before its payload is buffered.
 */
public final class WebSocketDialer implements Dialer {
    public static final WebSocketDialer INSTANCE = new WebSocketDialer();

    /** The upgrade response is small; anything bigger is not a WebSocket server. */
    private static final int MAX_UPGRADE_RESPONSE = 64 * 1024;

    @Override
    public CompletableFuture<Channel> dial(DialContext context) {
        CompletableFuture<Channel> result = new CompletableFuture<>();
        URI upgradeUri = upgradeUri(context);
        // One frame holds one package: a longer one is more than the client would read, so it is not buffered.
        int maxFramePayload = context.maxPackageLength();
        TcpDialer.connect(context, result, pipeline -> {
            WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                    .webSocketUri(upgradeUri)
                    .maxFramePayloadLength(maxFramePayload)
                    .handshakeTimeoutMillis(context.connectTimeoutMillis())
                    .dropPongFrames(true)
                    .build();
            pipeline.addLast(new HttpClientCodec());
            pipeline.addLast(new HttpObjectAggregator(MAX_UPGRADE_RESPONSE));
            // Before Netty's protocol handler, which would answer every ping: the frame decoder it installs goes
            // right after the HTTP codec, so pings reach this handler first.
            pipeline.addLast(new WebSocketPings());
            pipeline.addLast(new WebSocketClientProtocolHandler(config));
            pipeline.addLast(new CappedFrameAggregator(maxFramePayload));
            pipeline.addLast(BinaryFrameDecoder.INSTANCE);
            pipeline.addLast(BinaryFrameEncoder.INSTANCE);
            pipeline.addLast(new UpgradeListener(context, result));
        }, channel -> {
            // Nothing to do once TLS is up: the upgrade, started when the channel became active, goes on.
        });
        return result;
    }

    /** The handshaker wants {@code ws}/{@code wss}, a path, and nothing else. */
    private static URI upgradeUri(DialContext context) {
        URI target = context.target();
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        try {
            return new URI(target.getScheme().toLowerCase(), null, context.host(), context.port(), path,
                    target.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad WebSocket URI " + target, e);
        }
    }

    /**
     * Joins fragmented messages up to the frame cap, and tells a frame or message over the cap to the client's handler
     * as a {@link PomeloProtocolException}, as the package decoder tells a body over {@code maxBodyLength}: the
     * handler then closes the connection with that reason. Netty's frame decoder has refused such a frame on its header
     * (and sent a close frame, status 1009) by the time its exception passes here.
     */
    private static final class CappedFrameAggregator extends WebSocketFrameAggregator {
        private final int maxFramePayload;

        CappedFrameAggregator(int maxFramePayload) {
            super(maxFramePayload);
            this.maxFramePayload = maxFramePayload;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, WebSocketFrame oversized) {
            ctx.fireExceptionCaught(frameTooLarge(null));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            boolean tooBig = cause instanceof CorruptedWebSocketFrameException corrupted
                    && corrupted.closeStatus() != null
                    && corrupted.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code();
            ctx.fireExceptionCaught(tooBig ? frameTooLarge(cause) : cause);
        }

        private PomeloProtocolException frameTooLarge(Throwable cause) {
            PomeloProtocolException tooLarge = new PomeloProtocolException("WebSocket frame too large: limit "
                    + maxFramePayload + " bytes, a package of maxBodyLength "
                    + (maxFramePayload - PackageHeader.HEADER_LENGTH));
            if (cause != null) {
                tooLarge.initCause(cause);
            }
            return tooLarge;
        }
    }

    /** Waits for the upgrade; then makes way for the client's handler, or fails the dial. */
    private static final class UpgradeListener extends ChannelInboundHandlerAdapter {
        private final DialContext context;
        private final CompletableFuture<Channel> result;

        UpgradeListener(DialContext context, CompletableFuture<Channel> result) {
            this.context = context;
            this.result = result;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                if (result.isDone()) {
                    return; // Cancelled meanwhile: the channel is closing.
                }
                ctx.pipeline().replace(this, null, context.handler());
                result.complete(ctx.channel());
            } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                fail(ctx, new WebSocketHandshakeException("WebSocket upgrade timed out: " + context.target()));
            } else {
                super.userEventTriggered(ctx, evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(ctx, cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            fail(ctx, new WebSocketHandshakeException("connection closed during the WebSocket upgrade: "
                    + context.target()));
            super.channelInactive(ctx);
        }

        private void fail(ChannelHandlerContext ctx, Throwable cause) {
            // A TLS failure arrives wrapped by the decoder that met it; report what actually went wrong.
            Throwable reported = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            result.completeExceptionally(reported);
            ctx.close();
        }
    }
}

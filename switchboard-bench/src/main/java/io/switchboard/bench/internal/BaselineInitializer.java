package io.switchboard.bench.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.switchboard.protocol.PomeloPackageDecoder;
import io.switchboard.protocol.websocket.BinaryFrameDecoder;
import io.switchboard.protocol.websocket.BinaryFrameEncoder;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The baseline's pipeline. One port serves raw TCP and WebSocket: a Pomelo package starts with a type byte
 * of 1–5, an HTTP upgrade with {@code G}, so the first byte decides.
 */
public final class BaselineInitializer extends ChannelInitializer<SocketChannel> {
    private static final int MAX_FRAME = 1 << 24;

    private final BaselineRooms rooms = new BaselineRooms();
    private final ChannelGroup channels;
    private final int heartbeatSeconds;

    public BaselineInitializer(ChannelGroup channels, int heartbeatSeconds) {
        this.channels = channels;
        this.heartbeatSeconds = heartbeatSeconds;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        channels.add(ch);
        ch.pipeline().addLast(new IdleStateHandler(2L * heartbeatSeconds, 0, 0, TimeUnit.SECONDS),
                new TransportSniffer());
    }

    private final class TransportSniffer extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            ChannelPipeline p = ctx.pipeline();
            if (in.getByte(in.readerIndex()) == 'G') {
                p.addAfter(ctx.name(), "http", new HttpServerCodec());
                p.addAfter("http", "aggregator", new HttpObjectAggregator(8192));
                p.addAfter("aggregator", "ws", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath("/").checkStartsWith(true).maxFramePayloadLength(MAX_FRAME).build()));
                p.addAfter("ws", "frames-in", BinaryFrameDecoder.INSTANCE);
                p.addAfter("frames-in", "frames-out", BinaryFrameEncoder.INSTANCE);
                p.addAfter("frames-out", "packages", new PomeloPackageDecoder());
            } else {
                p.addAfter(ctx.name(), "packages", new PomeloPackageDecoder());
            }
            p.addAfter("packages", "app", new BaselineHandler(rooms, heartbeatSeconds));
            p.remove(this);
        }
    }
}

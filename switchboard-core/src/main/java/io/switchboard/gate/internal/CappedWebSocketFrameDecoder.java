package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.switchboard.protocol.HandshakeTooLargeException;
import io.switchboard.protocol.websocket.WebSocketFrameLayout;

import java.util.List;

/**
 * Netty's WebSocket frame decoder, holding every frame to the first-frame cap until the session is established: Netty
 * waits for a frame's whole payload, so under its own cap (a body's) a client could make the gate buffer a megabyte
 * before it has even said who it is. Each frame's length is read from its header before Netty takes any of the frame,
 * and one over the cap ends the connection ({@code handshake_too_large}) unbuffered; so does a fragment
 * ({@code bad_frame}), since fragments under the cap each would add up in the aggregator. Netty's decoder takes one frame
 * per call, so the frames are followed by counting what it takes. The established session lifts the cap between two
 * frames; from then on this costs a field check per call.
 */
final class CappedWebSocketFrameDecoder extends WebSocket13FrameDecoder {
    private final int maxFrameBeforeEstablished;
    private boolean established;
    private boolean failed;
    /** Bytes of the current frame Netty's decoder has not taken yet; 0 (or less, after a close) at a frame's start. */
    private long frameLeft;

    /** @param config the decoder's config, whose cap holds once the session is established */
    CappedWebSocketFrameDecoder(WebSocketDecoderConfig config, int maxFrameBeforeEstablished) {
        super(config);
        this.maxFrameBeforeEstablished = maxFrameBeforeEstablished;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (established) {
            super.decode(ctx, in, out);
            return;
        }
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (frameLeft <= 0) {
            int at = in.readerIndex();
            long payload = WebSocketFrameLayout.payloadLength(in, at);
            if (payload == WebSocketFrameLayout.UNKNOWN) {
                return;
            }
            if (payload > maxFrameBeforeEstablished) {
                failed = true;
                in.skipBytes(in.readableBytes());
                throw new HandshakeTooLargeException((int) Math.min(payload, Integer.MAX_VALUE),
                        maxFrameBeforeEstablished);
            }
            if (WebSocketFrameLayout.isFragment(in, at)) {
                // Fragments would add up in the aggregator behind, each under the cap; no handshake needs them.
                failed = true;
                in.skipBytes(in.readableBytes());
                throw new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR,
                        "a fragmented message before the session is established");
            }
            frameLeft = WebSocketFrameLayout.headerLength(in, at) + payload;
        }
        int before = in.readableBytes();
        super.decode(ctx, in, out);
        frameLeft -= before - in.readableBytes();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == GateEvents.ESTABLISHED) {
            established = true;
        }
        super.userEventTriggered(ctx, evt);
    }
}

package io.switchboard.protocol.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Frames written as bytes are the bytes Netty's own server-side frame encoder writes, at every length boundary. */
class EncodedBinaryFramesTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65_535, 65_536, 70_000})
    void framesAreWhatNettysEncoderWrites(int length) {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) i;
        }
        ByteBuf frames = Unpooled.buffer();
        EncodedBinaryFrames.writeHeader(frames, length);
        assertThat(frames.readableBytes()).isEqualTo(EncodedBinaryFrames.headerLength(length));
        frames.writeBytes(payload);
        // A whole frame written at once is the same bytes, and leaves its payload unread.
        ByteBuf whole = Unpooled.buffer();
        ByteBuf source = Unpooled.wrappedBuffer(payload);
        EncodedBinaryFrames.writeFrame(whole, source);
        assertThat(whole).isEqualTo(frames);
        assertThat(whole.readableBytes()).isEqualTo(EncodedBinaryFrames.frameLength(length));
        assertThat(source.readableBytes()).isEqualTo(length);
        whole.release();
        source.release();
        // Read back: the payload starts right after the header, here at the frame's start and behind another frame.
        assertThat(EncodedBinaryFrames.payloadStart(frames, 0)).isEqualTo(EncodedBinaryFrames.headerLength(length));
        ByteBuf second = Unpooled.buffer().writeZero(3);
        EncodedBinaryFrames.writeHeader(second, length);
        assertThat(EncodedBinaryFrames.payloadStart(second, 3)).isEqualTo(3 + EncodedBinaryFrames.headerLength(length));
        second.release();

        EmbeddedChannel ours = new EmbeddedChannel(new WebSocket08FrameEncoder(false), BinaryFrameEncoder.INSTANCE);
        ours.writeOutbound(new EncodedBinaryFrames(frames));
        EmbeddedChannel netty = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
        netty.writeOutbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload)));

        assertThat(hexOfAll(ours)).isEqualTo(hexOfAll(netty));
        assertThat(ours.finish()).isFalse();
        assertThat(netty.finish()).isFalse();
    }

    /** Everything written, as one hex string (the encoder may write a header and a payload apart). */
    private static String hexOfAll(EmbeddedChannel ch) {
        StringBuilder hex = new StringBuilder();
        for (ByteBuf out; (out = ch.readOutbound()) != null; ) {
            hex.append(ByteBufUtil.hexDump(out));
            out.release();
        }
        return hex.toString();
    }
}

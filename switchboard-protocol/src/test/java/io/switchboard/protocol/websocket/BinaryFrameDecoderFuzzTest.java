package io.switchboard.protocol.websocket;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.switchboard.protocol.PackageHeader;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.PomeloMessageDecoder;
import io.switchboard.protocol.PomeloPackage;
import io.switchboard.protocol.PomeloPackageDecoder;
import io.switchboard.testing.ChunkedInput;
import io.switchboard.testing.TrackingAllocator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the WebSocket side of the client protocol as a gate runs it after the upgrade: Netty's frame decoder
 * (masked client frames, no extensions), the frame aggregator, {@link BinaryFrameDecoder}, then the Pomelo
 * package and message decoders. Input: {@code [options][chunk seed][frames...]}; options bits 0–1 choose the
 * body limit (16, 256, 4096 or 65536 bytes; a frame may carry a body and a header). Invariants: only corrupt or
 * too-long frame exceptions come out (Pomelo's included), and the aggregator's premature-closure exception when
 * the input ends inside a fragmented message; only packages and messages within the limit come out inbound, and
 * at most a close frame outbound; every buffer is released; memory stays proportional to the input.
 */
class BinaryFrameDecoderFuzzTest {
    private static final int[] LIMITS = {16, 256, 4096, 65536};

    @FuzzTest(maxDuration = "25s")
    void framesToMessages(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int limit = LIMITS[input[0] & 3];
        int maxFrame = limit + PackageHeader.HEADER_LENGTH;
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxFrame).allowExtensions(false).expectMaskedFrames(true).build();
        TrackingAllocator alloc = new TrackingAllocator(input[1] % 2 == 0);
        EmbeddedChannel ch = ChunkedInput.channel(alloc, new WebSocket13FrameDecoder(config),
                new WebSocketFrameAggregator(maxFrame), BinaryFrameDecoder.INSTANCE,
                new PomeloPackageDecoder(limit), new PomeloMessageDecoder(limit));

        ChunkedInput.write(ch, input, 2, input[1], msg -> checkInbound(msg, limit),
                BinaryFrameDecoderFuzzTest::checkOutbound);
        ChunkedInput.finish(ch, msg -> checkInbound(msg, limit), BinaryFrameDecoderFuzzTest::checkOutbound);

        ChunkedInput.allowOnly(ch, CorruptedFrameException.class, TooLongFrameException.class,
                PrematureChannelClosureException.class);
        alloc.assertAllReleased();
        assertThat(alloc.peakLiveBytes()).as("bytes held at once")
                .isLessThanOrEqualTo(64 * 1024 + 16L * input.length);
    }

    private static void checkInbound(Object msg, int limit) {
        if (msg instanceof PomeloPackage pkg) {
            assertThat(pkg.content().readableBytes()).isLessThanOrEqualTo(limit);
        } else {
            assertThat(msg).isInstanceOf(PomeloMessage.class);
            assertThat(((PomeloMessage) msg).content().readableBytes()).isLessThanOrEqualTo(limit);
        }
    }

    private static void checkOutbound(Object msg) {
        if (msg instanceof ByteBuf buf) {
            // The frame decoder's answer to a violation after the client's close frame: nothing, then close.
            assertThat(buf.isReadable()).isFalse();
        } else {
            // Its answer to any other violation.
            assertThat(msg).isInstanceOf(CloseWebSocketFrame.class);
        }
    }
}

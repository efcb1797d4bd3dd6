package io.switchboard.protocol.domi;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.testing.ChunkedInput;
import io.switchboard.testing.TrackingAllocator;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link DomiFrameDecoder} on an EmbeddedChannel fed in chunks. Input: {@code [options][chunk seed][stream...]};
 * options bits 0–1 choose the cap (8, 64, 4096 or 2^24 − 1 bytes). Invariants: only {@link DomiProtocolException}s
 * come out; every frame is within the cap and survives encode → decode unchanged; every buffer is released; memory
 * stays proportional to the input.
 */
class DomiFrameDecoderFuzzTest {
    private static final int[] CAPS = {DomiFrameLayout.HEADER_LENGTH, 64, 4096,
            DomiFrameLayout.DETECTABLE_LENGTH_LIMIT - 1};

    @FuzzTest(maxDuration = "20s")
    void frames(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int cap = CAPS[input[0] & 3];
        TrackingAllocator alloc = new TrackingAllocator(input[1] % 2 == 0);
        EmbeddedChannel ch = ChunkedInput.channel(alloc, new DomiFrameDecoder(cap));
        Consumer<Object> check = msg -> check(msg, alloc, cap);
        ChunkedInput.write(ch, input, 2, input[1], check, ChunkedInput.nothing("outbound"));
        ChunkedInput.finish(ch, check, ChunkedInput.nothing("outbound"));

        ChunkedInput.allowOnly(ch, DomiProtocolException.class);
        alloc.assertAllReleased();
        assertThat(alloc.peakLiveBytes()).as("bytes held at once").isLessThanOrEqualTo(64 * 1024 + 16L * input.length);
    }

    private static void check(Object msg, TrackingAllocator alloc, int cap) {
        assertThat(msg).isInstanceOf(DomiFrame.class);
        DomiFrame frame = (DomiFrame) msg;
        assertThat(frame.length()).isLessThanOrEqualTo(cap);
        ByteBuf encoded = DomiFrameEncoder.encode(alloc, frame.frameType(), frame.data(), frame.extend());
        EmbeddedChannel again = new EmbeddedChannel(new DomiFrameDecoder(cap));
        try {
            assertThat(DomiFrameLayout.length(encoded, 0)).isEqualTo(frame.length());
            again.writeInbound(encoded);
            DomiFrame decoded = again.readInbound();
            try {
                assertThat(decoded.frameType()).isEqualTo(frame.frameType());
                assertThat(decoded.extend()).isEqualTo(frame.extend());
                assertThat(ByteBufUtil.equals(decoded.data(), frame.data())).as("data survives").isTrue();
            } finally {
                decoded.release();
            }
        } finally {
            again.finishAndReleaseAll();
        }
    }
}

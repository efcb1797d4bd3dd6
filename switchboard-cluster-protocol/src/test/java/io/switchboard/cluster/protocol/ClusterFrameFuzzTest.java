package io.switchboard.cluster.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.testing.ChunkedInput;
import io.switchboard.testing.TrackingAllocator;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the receiving end of a cluster link, {@link ClusterFrameDecoder} then {@link EnvelopeDecoder}, on an
 * EmbeddedChannel fed in chunks. Input: {@code [options][chunk seed][rest...]}. With options bit 0 clear the rest
 * is the raw stream and bits 1–2 choose the largest frame (22, 256, 4096 bytes or the default); with it set, the
 * rest is a list of {@code [length:2][data]} and each data goes out in a correct frame (head, len, CRC32C), so
 * the fuzzer's bytes reach the Envelope parser instead of dying at the CRC.
 *
 * <p>Invariants: only {@link ClusterFrameException}s come out, each counted once by the rejection listener, and
 * in framed mode only as {@link FrameRejectReason#MALFORMED_ENVELOPE} (a correct frame is never refused), or as
 * {@link FrameRejectReason#TRUNCATED} for the frames cut off when a malformed one closed the link; every
 * envelope that comes out survives the link's own encoders and decoders unchanged; every buffer is released;
 * memory stays proportional to the input.
 */
class ClusterFrameFuzzTest {
    private static final int[] MAX_FRAMES = {
        ClusterFrameLayout.FRAME_OVERHEAD, 256, 4096, ClusterFrameLayout.DEFAULT_MAX_FRAME_LENGTH};

    @FuzzTest(maxDuration = "25s")
    void framesToEnvelopes(byte[] input) {
        if (input.length < 2) {
            return;
        }
        boolean framed = (input[0] & 1) != 0;
        int maxFrame = framed ? ClusterFrameLayout.DEFAULT_MAX_FRAME_LENGTH : MAX_FRAMES[(input[0] >> 1) & 3];
        byte[] stream = framed ? frames(input) : input;
        FrameRejectionCounter rejections = new FrameRejectionCounter();
        TrackingAllocator alloc = new TrackingAllocator(input[1] % 2 == 0);
        EmbeddedChannel ch = ChunkedInput.channel(alloc,
                new ClusterFrameDecoder(maxFrame, rejections), new EnvelopeDecoder(rejections));

        ChunkedInput.write(ch, stream, framed ? 0 : 2, input[1], ClusterFrameFuzzTest::check,
                ChunkedInput.nothing("outbound"));
        ChunkedInput.finish(ch, ClusterFrameFuzzTest::check, ChunkedInput.nothing("outbound"));

        ChunkedInput.allowOnly(ch, ClusterFrameException.class);
        assertThat(rejections.total()).as("refusals counted").isEqualTo(ChunkedInput.failures(ch).size());
        if (framed) {
            // A malformed envelope ends the link; the frames after it are cut off, so TRUNCATED may follow.
            long malformed = rejections.count(FrameRejectReason.MALFORMED_ENVELOPE);
            assertThat(rejections.count(FrameRejectReason.TRUNCATED)).isLessThanOrEqualTo(malformed);
            assertThat(rejections.total()).as("a correct frame refused")
                    .isEqualTo(malformed + rejections.count(FrameRejectReason.TRUNCATED));
        }
        alloc.assertAllReleased();
        assertThat(alloc.peakLiveBytes()).as("bytes held at once").isLessThanOrEqualTo(64 * 1024 + 16L * stream.length);
    }

    /** Wraps each {@code [length:2][data]} of the input after its first two bytes in a correct frame. */
    private static byte[] frames(byte[] input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 2;
        int n = 0;
        while (i < input.length) {
            int length = i + 1 < input.length ? ((input[i] & 0xFF) << 8) | (input[i + 1] & 0xFF) : 0;
            int from = Math.min(i + 2, input.length);
            int to = Math.min(from + length, input.length);
            out.writeBytes(RawFrames.frame(n, n * 7, 0xFFFF_FFFFL - n, n, Arrays.copyOfRange(input, from, to)));
            i = to == from ? from : to;
            n++;
        }
        return out.toByteArray();
    }

    private static void check(Object msg) {
        assertThat(msg).isInstanceOf(ClusterEnvelope.class);
        ClusterEnvelope decoded = (ClusterEnvelope) msg;
        Envelope envelope = decoded.envelope();
        Envelopes.kind(envelope);
        Envelopes.route(envelope);
        Envelopes.errorInfo(envelope);
        Envelopes.control(envelope);
        byte[] payload = Envelopes.payload(envelope).toByteArray();
        try {
            PushPayload.route(payload);
            PushPayload.body(payload);
        } catch (IllegalArgumentException notAPush) {
            // Documented: a payload that is not a push payload is refused so.
        }
        assertThat(roundTrip(decoded)).isEqualTo(decoded);
    }

    /** Sends the envelope through the link's encoders and reads it back through its decoders. */
    private static ClusterEnvelope roundTrip(ClusterEnvelope envelope) {
        EmbeddedChannel sender = new EmbeddedChannel(new ClusterFrameEncoder(), new EnvelopeEncoder());
        EmbeddedChannel receiver = new EmbeddedChannel(new ClusterFrameDecoder(), new EnvelopeDecoder());
        try {
            sender.writeOutbound(envelope);
            ByteBuf bytes;
            while ((bytes = sender.readOutbound()) != null) {
                receiver.writeInbound(bytes);
            }
            return receiver.readInbound();
        } finally {
            sender.finishAndReleaseAll();
            receiver.finishAndReleaseAll();
        }
    }
}

package io.switchboard.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.testing.ChunkedInput;
import io.switchboard.testing.TrackingAllocator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link PomeloPackageDecoder} and {@link PomeloMessageDecoder} together, as the gate runs them, on an
 * EmbeddedChannel fed in chunks. Input: {@code [options][chunk seed][stream...]}; options bits 0–1 choose the
 * body limit (16, 256, 4096 or 2^24 − 1 bytes), bit 2 a route dictionary, bit 3 whether the round trip
 * compresses. Invariants: only {@link PomeloProtocolException}s come out; every package and message is within
 * the limit, well formed, and survives encode → decode unchanged; every buffer is released; memory stays
 * proportional to the input and the limit.
 */
class PomeloDecodersFuzzTest {
    private static final int[] LIMITS = {16, 256, 4096, PackageHeader.MAX_BODY_LENGTH};
    private static final RouteDictionary DICTIONARY =
            RouteDictionary.of(Map.of("sys.kick", 1), List.of("demo.echo.say", "onTell"));
    /** Deflate expands at most about 1032 times; the bound leaves room for buffers growing in powers of two. */
    private static final int MAX_INFLATE_RATIO = 1100;

    @FuzzTest(maxDuration = "25s")
    void packagesAndMessages(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int options = input[0];
        int limit = LIMITS[options & 3];
        RouteDictionary dictionary = (options & 4) != 0 ? DICTIONARY : RouteDictionary.empty();
        boolean compress = (options & 8) != 0;
        PomeloMessageDecoder messageDecoder = new PomeloMessageDecoder(limit);
        messageDecoder.dictionary(dictionary);
        TrackingAllocator alloc = new TrackingAllocator(input[1] % 2 == 0);
        EmbeddedChannel ch = ChunkedInput.channel(alloc, new PomeloPackageDecoder(limit), messageDecoder);

        Consumer<Object> check = msg -> check(msg, alloc, dictionary, limit, compress);
        ChunkedInput.write(ch, input, 2, input[1], check, ChunkedInput.nothing("outbound"));
        ChunkedInput.finish(ch, check, ChunkedInput.nothing("outbound"));

        ChunkedInput.allowOnly(ch, PomeloProtocolException.class);
        alloc.assertAllReleased();
        long bound = 64 * 1024 + 16L * input.length + 4L * Math.min(limit, (long) MAX_INFLATE_RATIO * input.length);
        assertThat(alloc.peakLiveBytes()).as("bytes held at once").isLessThanOrEqualTo(bound);
    }

    private static void check(Object msg, TrackingAllocator alloc, RouteDictionary dictionary, int limit,
                              boolean compress) {
        if (msg instanceof PomeloPackage pkg) {
            assertThat(pkg.type()).isNotEqualTo(PackageType.DATA);
            assertThat(pkg.content().readableBytes()).isLessThanOrEqualTo(limit);
            return;
        }
        assertThat(msg).isInstanceOf(PomeloMessage.class);
        PomeloMessage message = (PomeloMessage) msg;
        assertThat(message.content().readableBytes()).isLessThanOrEqualTo(limit);
        assertThat(message.id()).isNotNegative();
        assertThat(message.route() != null).isEqualTo(message.type().hasRoute());
        assertThat(message.toString()).isNotEmpty();
        if (message.route() != null
                && message.route().getBytes(StandardCharsets.UTF_8).length > MessageFlags.MAX_ROUTE_LENGTH) {
            // Invalid UTF-8 came in as U+FFFD, three bytes each: too long to send back, and never sent back.
            return;
        }
        ByteBuf encoded = PomeloMessageCodec.encodePackage(alloc, message, dictionary, compress);
        try {
            encoded.skipBytes(PackageHeader.HEADER_LENGTH);
            // Read back as the peer that asked for what was encoded: compressed only if it negotiated compression.
            PomeloMessage again = PomeloMessageCodec.decode(alloc, encoded, dictionary, limit, compress);
            try {
                assertThat(again.type()).isEqualTo(message.type());
                assertThat(again.id()).isEqualTo(message.id());
                assertThat(again.route()).isEqualTo(message.route());
                assertThat(again.isError()).isEqualTo(message.isError());
                assertThat(ByteBufUtil.equals(again.content(), message.content())).as("body survives").isTrue();
            } finally {
                again.release();
            }
        } finally {
            encoded.release();
        }
    }
}

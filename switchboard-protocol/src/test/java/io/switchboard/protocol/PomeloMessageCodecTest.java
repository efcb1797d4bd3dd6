package io.switchboard.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.switchboard.protocol.Bytes.hex;
import static io.switchboard.protocol.Bytes.hexAndRelease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The verified byte vectors of DESIGN §3, both ways, and every malformed message. */
class PomeloMessageCodecTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final RouteDictionary DICT = RouteDictionary.of(Map.of("sys.one", 1), List.of("demo.echo.say"));

    /** Encodes a message and strips the 4-byte package header. */
    private static String encodeMessage(PomeloMessage msg, RouteDictionary dict) {
        try {
            ByteBuf pkg = PomeloMessageCodec.encodePackage(ALLOC, msg, dict, false);
            assertThat(pkg.getByte(0)).isEqualTo((byte) PackageType.DATA.code());
            assertThat(pkg.getUnsignedMedium(1)).isEqualTo(pkg.readableBytes() - PackageHeader.HEADER_LENGTH);
            pkg.skipBytes(PackageHeader.HEADER_LENGTH);
            return hexAndRelease(pkg);
        } finally {
            msg.release();
        }
    }

    @Test
    void aResponseFitsWhenItsFlagIdAndBodyFillThePackageAtMost() {
        // Request 129 takes a two-byte varint: flag 1 + id 2 + body.
        int largest = PackageHeader.MAX_BODY_LENGTH - 3;
        assertThat(PomeloMessageCodec.responseFits(129, largest)).isTrue();
        assertThat(PomeloMessageCodec.responseFits(129, largest + 1)).isFalse();
        assertThat(PomeloMessageCodec.responseFits(127, largest + 1)).as("a one-byte id leaves one more").isTrue();

        PomeloMessage fits = PomeloMessage.response(129, Unpooled.wrappedBuffer(new byte[largest]));
        ByteBuf pkg = PomeloMessageCodec.encodePackage(ALLOC, fits, null, false);
        fits.release();
        assertThat(pkg.getUnsignedMedium(1)).isEqualTo(PackageHeader.MAX_BODY_LENGTH);
        pkg.release();
        PomeloMessage over = PomeloMessage.response(129, Unpooled.wrappedBuffer(new byte[largest + 1]));
        try {
            assertThatThrownBy(() -> PomeloMessageCodec.encodePackage(ALLOC, over, null, false))
                    .isInstanceOf(BodyTooLargeException.class);
        } finally {
            over.release();
        }
    }

    @Test
    void appendedPackagesFollowEachOtherAsTheyWouldOnTheirOwn() {
        ByteBuf out = ALLOC.ioBuffer(2); // smaller than one package: appending grows it
        PomeloMessage first = PomeloMessage.response(129, Unpooled.EMPTY_BUFFER);
        PomeloMessage second = PomeloMessage.push("sys.one", Unpooled.wrappedBuffer(new byte[]{0x7b, 0x7d}));
        try {
            PomeloMessageCodec.appendPackage(out, ALLOC, first, null, false);
            PomeloMessageCodec.appendPackage(out, ALLOC, second, DICT, false);
            assertThat(hexAndRelease(out)).isEqualTo("04 00 00 03 04 81 01 04 00 00 05 07 00 01 7b 7d");
        } finally {
            first.release();
            second.release();
        }
    }

    @Test
    void requestWithRouteAndEmptyBody() {
        assertThat(encodeMessage(PomeloMessage.request(1, "a", Unpooled.EMPTY_BUFFER), null)).isEqualTo("00 01 01 61");
        PomeloMessage decoded = PomeloMessageCodec.decode(ALLOC, hex("00 01 01 61"), null, 1024);
        try {
            assertThat(decoded.type()).isEqualTo(MessageType.REQUEST);
            assertThat(decoded.id()).isEqualTo(1);
            assertThat(decoded.route()).isEqualTo("a");
            assertThat(decoded.content().readableBytes()).isZero();
        } finally {
            decoded.release();
        }
    }

    @Test
    void notifyWithRoute() {
        assertThat(encodeMessage(PomeloMessage.notify("a", Unpooled.EMPTY_BUFFER), null)).isEqualTo("02 01 61");
        PomeloMessage decoded = PomeloMessageCodec.decode(ALLOC, hex("02 01 61"), null, 1024);
        assertThat(decoded.type()).isEqualTo(MessageType.NOTIFY);
        assertThat(decoded.route()).isEqualTo("a");
        decoded.release();
    }

    @Test
    void pushWithCompressedRouteCodeOne() {
        assertThat(encodeMessage(PomeloMessage.push("sys.one", Unpooled.EMPTY_BUFFER), DICT)).isEqualTo("07 00 01");
        PomeloMessage decoded = PomeloMessageCodec.decode(ALLOC, hex("07 00 01"), DICT, 1024);
        assertThat(decoded.type()).isEqualTo(MessageType.PUSH);
        assertThat(decoded.route()).isEqualTo("sys.one");
        decoded.release();
    }

    @Test
    void responseWithId129() {
        assertThat(encodeMessage(PomeloMessage.response(129, Unpooled.EMPTY_BUFFER), null)).isEqualTo("04 81 01");
        PomeloMessage decoded = PomeloMessageCodec.decode(ALLOC, hex("04 81 01"), null, 1024);
        assertThat(decoded.type()).isEqualTo(MessageType.RESPONSE);
        assertThat(decoded.id()).isEqualTo(129);
        assertThat(decoded.route()).isNull();
        decoded.release();
    }

    @Test
    void errorResponseSetsThePitayaBit() {
        ByteBuf body = Unpooled.copiedBuffer("{\"code\":1}", StandardCharsets.UTF_8);
        String hex = encodeMessage(PomeloMessage.errorResponse(5, body), null);
        assertThat(hex).startsWith("24 05 ");
        PomeloMessage decoded = PomeloMessageCodec.decode(ALLOC, hex(hex), null, 1024);
        assertThat(decoded.isError()).isTrue();
        assertThat(decoded.content().toString(StandardCharsets.UTF_8)).isEqualTo("{\"code\":1}");
        decoded.release();
    }

    @Test
    void userRouteIsCompressedToItsCode() {
        int code = DICT.codeOf("demo.echo.say");
        assertThat(code).isEqualTo(RouteDictionary.FIRST_USER_CODE);
        assertThat(encodeMessage(PomeloMessage.request(2, "demo.echo.say", Unpooled.EMPTY_BUFFER), DICT))
                .isEqualTo("01 02 00 32");
    }

    @Test
    void bodyCompressionRoundTrips() {
        byte[] text = "hello hello hello hello hello hello hello".getBytes(StandardCharsets.UTF_8);
        PomeloMessage msg = PomeloMessage.push("onChat", Unpooled.wrappedBuffer(text));
        ByteBuf pkg = PomeloMessageCodec.encodePackage(ALLOC, msg, null, true);
        msg.release();
        pkg.skipBytes(PackageHeader.HEADER_LENGTH);
        assertThat(pkg.getByte(pkg.readerIndex()) & MessageFlags.BODY_COMPRESSED).isNotZero();
        PomeloMessage decoded = PomeloMessageCodec.decode(ALLOC, pkg, null, 1024, true);
        pkg.release();
        assertThat(decoded.content().toString(StandardCharsets.UTF_8)).isEqualTo(new String(text, StandardCharsets.UTF_8));
        decoded.release();
    }

    @Test
    void compressedBodyIsRefusedWithoutCompressionNegotiated() {
        PomeloMessage msg = PomeloMessage.notify("x", Unpooled.wrappedBuffer(new byte[100]));
        ByteBuf pkg = PomeloMessageCodec.encodePackage(ALLOC, msg, null, true);
        msg.release();
        pkg.skipBytes(PackageHeader.HEADER_LENGTH);
        try {
            assertThatThrownBy(() -> PomeloMessageCodec.decode(ALLOC, pkg, null, 1024))
                    .isInstanceOf(CompressionNotNegotiatedException.class);
        } finally {
            pkg.release();
        }
    }

    @Test
    void compressedBodyThatInflatesPastTheLimitIsRefused() {
        byte[] zeros = new byte[100_000];
        PomeloMessage msg = PomeloMessage.push("x", Unpooled.wrappedBuffer(zeros));
        ByteBuf pkg = PomeloMessageCodec.encodePackage(ALLOC, msg, null, true);
        msg.release();
        pkg.skipBytes(PackageHeader.HEADER_LENGTH);
        try {
            assertThatThrownBy(() -> PomeloMessageCodec.decode(ALLOC, pkg, null, 1000, true))
                    .isInstanceOf(BodyTooLargeException.class);
        } finally {
            pkg.release();
        }
    }

    @Test
    void malformedMessagesAreRefusedWithAReason() {
        assertRefused("", "empty data package");
        assertRefused("00 81", "truncated message id");
        assertRefused("00 ff ff ff ff ff ff ff ff ff ff 01", "longer than 10 bytes");
        // Found by PomeloDecodersFuzzTest: the tenth byte sets bit 63, and the id came out negative.
        assertRefused("00 81 ff ff ff ff ff ff ff ff 01 01 61", "message id out of range");
        assertRefused("00 01 05 61", "route length 5 past the end");
        assertRefused("00 01", "missing route length");
        assertRefused("01 01 00", "truncated route code");
        assertRefused("01 01 00 63", "unknown route code 99");
        assertRefused("0e", "unknown message type 7");
        assertRefused("12 01 61 ff ff", "corrupt compressed body");
    }

    private static void assertRefused(String hex, String reason) {
        ByteBuf in = hex(hex);
        try {
            assertThatThrownBy(() -> PomeloMessageCodec.decode(ALLOC, in, DICT, 1024, true))
                    .isInstanceOf(PomeloProtocolException.class)
                    .hasMessageContaining(reason);
        } finally {
            in.release();
        }
    }

    @Test
    void varintLengthsMatchWhatIsWritten() {
        for (long v : new long[] {0, 1, 127, 128, 129, 16_383, 16_384, Integer.MAX_VALUE, Long.MAX_VALUE}) {
            ByteBuf buf = Unpooled.buffer();
            Varint.write(buf, v);
            assertThat(buf.readableBytes()).as("length of %d", v).isEqualTo(Varint.length(v));
            assertThat(Varint.read(buf)).isEqualTo(v);
            buf.release();
        }
    }
}

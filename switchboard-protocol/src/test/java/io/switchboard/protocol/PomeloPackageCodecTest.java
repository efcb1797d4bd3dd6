package io.switchboard.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static io.switchboard.protocol.Bytes.hex;
import static io.switchboard.protocol.Bytes.hexAndRelease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Package framing through EmbeddedChannel: vectors, split and joined input, malformed input. */
class PomeloPackageCodecTest {

    @Test
    void heartbeatPackageIsFourBytes() {
        EmbeddedChannel ch = new EmbeddedChannel(new PomeloPackageEncoder());
        ch.writeOutbound(PomeloPackage.empty(PackageType.HEARTBEAT));
        assertThat(hexAndRelease(ch.readOutbound())).isEqualTo("03 00 00 00");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void kickCarriesAJsonReason() {
        EmbeddedChannel ch = new EmbeddedChannel(new PomeloPackageEncoder());
        ch.writeOutbound(PomeloPackage.kick("bye \"now\""));
        ByteBuf out = ch.readOutbound();
        assertThat(out.readUnsignedByte()).isEqualTo((short) PackageType.KICK.code());
        int length = out.readUnsignedMedium();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"reason\":\"bye \\\"now\\\"\"}");
        assertThat(length).isEqualTo(out.readableBytes());
        out.release();
        ch.finish();
    }

    @Test
    void splitInputIsReassembled() {
        EmbeddedChannel ch = new EmbeddedChannel(new PomeloPackageDecoder());
        ByteBuf all = hex("04 00 00 03 00 01 01");
        while (all.isReadable()) {
            ch.writeInbound(all.readRetainedSlice(1));
        }
        all.release();
        PomeloPackage pkg = ch.readInbound();
        assertThat(pkg.type()).isEqualTo(PackageType.DATA);
        assertThat(hexAndRelease(pkg.content().retain())).isEqualTo("00 01 01");
        pkg.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void joinedInputYieldsEveryPackage() {
        EmbeddedChannel ch = new EmbeddedChannel(new PomeloPackageDecoder());
        ch.writeInbound(hex("02 00 00 00 03 00 00 00 04 00 00 02 02 00"));
        PomeloPackage a = ch.readInbound();
        PomeloPackage b = ch.readInbound();
        PomeloPackage c = ch.readInbound();
        assertThat(a.type()).isEqualTo(PackageType.HANDSHAKE_ACK);
        assertThat(b.type()).isEqualTo(PackageType.HEARTBEAT);
        assertThat(c.type()).isEqualTo(PackageType.DATA);
        assertThat(c.content().readableBytes()).isEqualTo(2);
        a.release();
        b.release();
        c.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void unknownTypeIsRefusedAtTheFirstByte() {
        EmbeddedChannel ch = new EmbeddedChannel(new PomeloPackageDecoder());
        assertThatThrownBy(() -> ch.writeInbound(hex("09")))
                .isInstanceOf(PomeloProtocolException.class).hasMessage("unknown package type 9");
        // Whatever follows is discarded, not decoded.
        assertThat(ch.writeInbound(hex("03 00 00 00"))).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void oversizedBodyIsRefusedBeforeItIsBuffered() {
        EmbeddedChannel ch = new EmbeddedChannel(new PomeloPackageDecoder(16));
        assertThatThrownBy(() -> ch.writeInbound(hex("04 00 00 11")))
                .isInstanceOf(BodyTooLargeException.class).hasMessageContaining("17 bytes, limit 16");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aHandshakeHasALimitOfItsOwn() {
        EmbeddedChannel ch = new EmbeddedChannel(new PomeloPackageDecoder(1024, 8));
        ch.writeInbound(hex("04 00 00 09 02 00 00 00 00 00 00 00 00"));
        PomeloPackage data = ch.readInbound();
        data.release();
        assertThatThrownBy(() -> ch.writeInbound(hex("01 00 00 09")))
                .isInstanceOf(HandshakeTooLargeException.class).hasMessage("handshake too large: 9 bytes, limit 8");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void bodyOfTheLimitIsAccepted() {
        EmbeddedChannel ch = new EmbeddedChannel(new PomeloPackageDecoder(2));
        ch.writeInbound(hex("04 00 00 02 02 00"));
        PomeloPackage pkg = ch.readInbound();
        assertThat(pkg.content().readableBytes()).isEqualTo(2);
        pkg.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void messageDecoderPassesOtherPackagesAndDecodesData() {
        EmbeddedChannel ch = new EmbeddedChannel(new PomeloPackageDecoder(), new PomeloMessageDecoder(1024));
        ch.writeInbound(hex("03 00 00 00 04 00 00 04 00 01 01 61"));
        PomeloPackage heartbeat = ch.readInbound();
        assertThat(heartbeat.type()).isEqualTo(PackageType.HEARTBEAT);
        heartbeat.release();
        PomeloMessage request = ch.readInbound();
        assertThat(request.route()).isEqualTo("a");
        request.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void malformedMessageInsideAPackageFailsThePipeline() {
        EmbeddedChannel ch = new EmbeddedChannel(new PomeloPackageDecoder(), new PomeloMessageDecoder(1024));
        assertThatThrownBy(() -> ch.writeInbound(hex("04 00 00 02 00 81")))
                .isInstanceOf(DecoderException.class).hasMessageContaining("truncated message id");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void messageEncoderWritesWholePackages() {
        EmbeddedChannel ch = new EmbeddedChannel(new PomeloMessageEncoder());
        ch.writeOutbound(PomeloMessage.response(129, Unpooled.EMPTY_BUFFER));
        assertThat(hexAndRelease(ch.readOutbound())).isEqualTo("04 00 00 03 04 81 01");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void largeDirectBodyLeavesUncopiedBehindItsHeader() {
        EmbeddedChannel ch = new EmbeddedChannel(new PomeloPackageEncoder());
        ByteBuf body = Unpooled.directBuffer(PomeloPackageEncoder.GATHERING_THRESHOLD);
        for (int i = 0; i < PomeloPackageEncoder.GATHERING_THRESHOLD; i++) {
            body.writeByte(i);
        }
        ch.writeOutbound(new PomeloPackage(PackageType.HANDSHAKE, body));
        ByteBuf out = ch.readOutbound();
        // The package let go of the body and the output holds it: it was not copied.
        assertThat(out).isInstanceOf(CompositeByteBuf.class);
        assertThat(body.refCnt()).isEqualTo(1);
        assertThat(out.readableBytes()).isEqualTo(PackageHeader.HEADER_LENGTH + PomeloPackageEncoder.GATHERING_THRESHOLD);
        assertThat(ByteBufUtil.hexDump(out, 0, PackageHeader.HEADER_LENGTH)).isEqualTo("01000400");
        assertThat(ByteBufUtil.equals(out, PackageHeader.HEADER_LENGTH, body, 0, body.readableBytes())).isTrue();
        out.release();
        assertThat(body.refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void smallOrHeapBodiesAreCopiedIntoOneBuffer() {
        EmbeddedChannel ch = new EmbeddedChannel(new PomeloPackageEncoder());
        ByteBuf small = Unpooled.directBuffer().writeZero(PomeloPackageEncoder.GATHERING_THRESHOLD - 1);
        ByteBuf heap = Unpooled.buffer().writeZero(PomeloPackageEncoder.GATHERING_THRESHOLD * 2);
        ch.writeOutbound(new PomeloPackage(PackageType.DATA, small), new PomeloPackage(PackageType.DATA, heap));
        for (int length : new int[] {PomeloPackageEncoder.GATHERING_THRESHOLD - 1,
                PomeloPackageEncoder.GATHERING_THRESHOLD * 2}) {
            ByteBuf out = ch.readOutbound();
            try {
                assertThat(out).isNotInstanceOf(CompositeByteBuf.class);
                assertThat(out.readableBytes()).isEqualTo(PackageHeader.HEADER_LENGTH + length);
            } finally {
                out.release();
            }
        }
        assertThat(small.refCnt()).isZero();
        assertThat(heap.refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @ParameterizedTest(name = "direct {0}")
    @ValueSource(booleans = {true, false})
    void bodyTooLongToDescribeIsRefusedAndReleasedAlikeGatheredOrCopied(boolean direct) {
        EmbeddedChannel ch = new EmbeddedChannel(new PomeloPackageEncoder());
        int length = PackageHeader.MAX_BODY_LENGTH + 1;
        ByteBuf body = (direct ? Unpooled.directBuffer(length) : Unpooled.buffer(length)).writeZero(length);
        assertThatThrownBy(() -> ch.writeOutbound(new PomeloPackage(PackageType.DATA, body)))
                .isInstanceOf(EncoderException.class).hasCauseInstanceOf(BodyTooLargeException.class);
        assertThat(body.refCnt()).isZero();
        assertThat((Object) ch.readOutbound()).isNull();
        ch.finish();
    }
}

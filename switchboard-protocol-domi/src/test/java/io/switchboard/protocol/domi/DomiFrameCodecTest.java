package io.switchboard.protocol.domi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.testing.ChunkedInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DOMI framing through EmbeddedChannel: golden bytes both ways, split and joined input, every malformed header. */
class DomiFrameCodecTest {
    private static final int CAP = 64;
    /** A request for route code 50 (0x32), request id 7 in the extend, data {"a":1}: 8 + 7 + 4 = 19 bytes. */
    private static final String REQUEST = "00 00 00 13 00 04 00 32 7b 22 61 22 3a 31 7d 00 00 00 07";
    /** A hello (40 = 0x28) with data {}: 8 + 2 = 10 bytes. */
    private static final String HELLO = "00 00 00 0a 00 00 00 28 7b 7d";
    /** A heartbeat (41 = 0x29): the header alone. */
    private static final String HEARTBEAT = "00 00 00 08 00 00 00 29";

    private static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
    }

    private static String hexAndRelease(ByteBuf buf) {
        try {
            return ByteBufUtil.hexDump(buf).replaceAll("(..)(?!$)", "$1 ");
        } finally {
            buf.release();
        }
    }

    private static String text(DomiFrame frame) {
        try {
            return frame.data().toString(StandardCharsets.UTF_8);
        } finally {
            frame.release();
        }
    }

    @Test
    void decodesGoldenBytes() {
        EmbeddedChannel ch = new EmbeddedChannel(new DomiFrameDecoder(CAP));
        ch.writeInbound(hex(REQUEST));
        DomiFrame frame = ch.readInbound();
        assertThat(frame.frameType()).isEqualTo(50);
        assertThat(frame.extend()).containsExactly(0, 0, 0, 7);
        assertThat(frame.length()).isEqualTo(19);
        assertThat(text(frame)).isEqualTo("{\"a\":1}");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void encodesGoldenBytes() {
        EmbeddedChannel ch = new EmbeddedChannel(DomiFrameEncoder.INSTANCE);
        ch.writeOutbound(new DomiFrame(50, Unpooled.copiedBuffer("{\"a\":1}", StandardCharsets.UTF_8),
                new byte[] {0, 0, 0, 7}));
        ch.writeOutbound(DomiFrame.empty(DomiEvents.HEARTBEAT));
        ch.writeOutbound(new DomiFrame(DomiEvents.HELLO, Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8)));
        assertThat(hexAndRelease(ch.readOutbound())).isEqualTo(REQUEST);
        assertThat(hexAndRelease(ch.readOutbound())).isEqualTo(HEARTBEAT);
        assertThat(hexAndRelease(ch.readOutbound())).isEqualTo(HELLO);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void encodesOnceAheadOfTime() {
        ByteBuf data = Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8);
        ByteBuf frame = DomiFrameEncoder.encode(UnpooledByteBufAllocator.DEFAULT, DomiEvents.HELLO, data, new byte[0]);
        assertThat(hexAndRelease(frame)).isEqualTo(HELLO);
        assertThat(data.readableBytes()).isEqualTo(2); // read, not consumed
        data.release();
    }

    @Test
    void joinedInputYieldsEveryFrame() {
        EmbeddedChannel ch = new EmbeddedChannel(new DomiFrameDecoder(CAP));
        ch.writeInbound(hex(HELLO + " " + HEARTBEAT + " " + REQUEST));
        assertThat(this.<DomiFrame>read(ch).frameType()).isEqualTo(DomiEvents.HELLO);
        assertThat(this.<DomiFrame>read(ch).frameType()).isEqualTo(DomiEvents.HEARTBEAT);
        DomiFrame request = read(ch);
        assertThat(request.frameType()).isEqualTo(50);
        assertThat(text(request)).isEqualTo("{\"a\":1}");
        assertThat(ch.finish()).isFalse();
    }

    private <T> T read(EmbeddedChannel ch) {
        T msg = ch.readInbound();
        assertThat(msg).isNotNull();
        if (msg instanceof DomiFrame frame && frame.frameType() != 50) {
            frame.release();
        }
        return msg;
    }

    @Test
    void splitInputIsReassembledWhateverTheChunks() {
        byte[] stream = ByteBufUtil.decodeHexDump((HELLO + " " + REQUEST + " " + HEARTBEAT).replace(" ", ""));
        for (long seed = 0; seed < 200; seed++) {
            EmbeddedChannel ch = ChunkedInput.channel(UnpooledByteBufAllocator.DEFAULT, new DomiFrameDecoder(CAP));
            List<String> seen = new ArrayList<>();
            ChunkedInput.write(ch, stream, 0, seed, msg -> {
                DomiFrame f = (DomiFrame) msg;
                seen.add(f.frameType() + ":" + f.data().toString(StandardCharsets.UTF_8) + ":" + f.extend().length);
            }, ChunkedInput.nothing("outbound"));
            ChunkedInput.allowOnly(ch);
            assertThat(seen).as("chunk seed %d", seed).containsExactly("40:{}:0", "50:{\"a\":1}:4", "41::0");
            ChunkedInput.finish(ch, ChunkedInput.nothing("inbound"), ChunkedInput.nothing("outbound"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "length 0 | 00 00 00 00 00 00 00 32 | shorter than the 8-byte header",
            "length 7 | 00 00 00 07 00 00 00 32 | shorter than the 8-byte header",
            "extendSize past the end | 00 00 00 0a 00 03 00 32 7b 7d 00 | extendSize 3 is larger than the frame's 2",
            "extendSize in an empty frame | 00 00 00 08 00 01 00 32 | extendSize 1 is larger than the frame's 0"})
    void malformedHeaderFailsTheConnection(String name, String bytes, String reason) {
        EmbeddedChannel ch = new EmbeddedChannel(new DomiFrameDecoder(CAP));
        assertThatThrownBy(() -> ch.writeInbound(hex(bytes)))
                .isInstanceOf(DomiProtocolException.class)
                .hasMessageContaining(reason);
        // What follows is discarded, never decoded.
        ch.writeInbound(hex(HEARTBEAT));
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void frameOverTheCapFailsBeforeItIsBuffered() {
        EmbeddedChannel ch = new EmbeddedChannel(new DomiFrameDecoder(CAP));
        // Only the header of a 65-byte frame has come: the cap is checked on the header alone.
        assertThatThrownBy(() -> ch.writeInbound(hex("00 00 00 41 00 00 00 32")))
                .isInstanceOf(DomiFrameTooLargeException.class)
                .hasMessageContaining("65 bytes is over the limit of 64");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void firstFrameHasACapOfItsOwn() {
        DomiFrameDecoder decoder = new DomiFrameDecoder(CAP, 10);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ch.writeInbound(hex(HELLO)); // 10 bytes: at the first frames' cap
        ((DomiFrame) ch.readInbound()).release();
        assertThat(decoder.beforeLift()).as("held until the client is accepted, not just past its hello").isTrue();
        decoder.lift();
        ch.writeInbound(hex(REQUEST)); // 19 bytes: over 10, within the cap of the frames after it
        ((DomiFrame) ch.readInbound()).release();
        assertThat(ch.finish()).isFalse();

        EmbeddedChannel unaccepted = new EmbeddedChannel(new DomiFrameDecoder(CAP, 10));
        unaccepted.writeInbound(hex(HELLO));
        ((DomiFrame) unaccepted.readInbound()).release();
        assertThatThrownBy(() -> unaccepted.writeInbound(hex(REQUEST)))
                .isInstanceOfSatisfying(DomiFrameTooLargeException.class, e -> assertThat(e.beforeAccepted()).isTrue());
        assertThat(unaccepted.finish()).isFalse();

        EmbeddedChannel first = new EmbeddedChannel(new DomiFrameDecoder(CAP, 10));
        assertThatThrownBy(() -> first.writeInbound(hex(REQUEST)))
                .isInstanceOf(DomiFrameTooLargeException.class)
                .hasMessageContaining("19 bytes is over the limit of 10");
        assertThat(first.finish()).isFalse();
    }

    @Test
    void frameAtTheCapIsAccepted() {
        EmbeddedChannel ch = new EmbeddedChannel(new DomiFrameDecoder(CAP));
        ByteBuf frame = DomiFrameEncoder.encode(UnpooledByteBufAllocator.DEFAULT, 60,
                Unpooled.wrappedBuffer(new byte[CAP - DomiFrameLayout.HEADER_LENGTH]), new byte[0]);
        ch.writeInbound(frame);
        DomiFrame decoded = ch.readInbound();
        assertThat(decoded.data().readableBytes()).isEqualTo(CAP - DomiFrameLayout.HEADER_LENGTH);
        decoded.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void capMustKeepTheFirstByteZero() {
        assertThatThrownBy(() -> new DomiFrameDecoder(DomiFrameLayout.DETECTABLE_LENGTH_LIMIT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(DomiFrameLayout.startsFrame(hex(HELLO).getUnsignedByte(0))).isTrue();
    }

    @Test
    void reservedEventsClientsMaySend() {
        assertThat(DomiEvents.sentByClients(DomiEvents.HELLO)).isTrue();
        assertThat(DomiEvents.sentByClients(DomiEvents.HEARTBEAT)).isTrue();
        assertThat(DomiEvents.sentByClients(50)).isTrue();
        assertThat(DomiEvents.sentByClients(DomiEvents.ERROR)).isFalse();
        assertThat(DomiEvents.sentByClients(1)).isFalse();
        assertThat(DomiEvents.sentByClients(49)).isFalse();
    }
}

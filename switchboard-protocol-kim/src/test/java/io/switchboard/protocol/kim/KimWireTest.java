package io.switchboard.protocol.kim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import com.google.protobuf.UnknownFieldSet;
import io.switchboard.protocol.kim.proto.Flag;
import io.switchboard.protocol.kim.proto.Header;
import io.switchboard.protocol.kim.proto.LoginReq;
import io.switchboard.protocol.kim.proto.Meta;
import io.switchboard.protocol.kim.proto.Status;
import io.switchboard.testing.ChunkedInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static io.switchboard.protocol.kim.KimGoldenBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** KIM's packets and TCP frames against byte vectors from its Go code, both ways, whole, split and joined. */
class KimWireTest {
    private static final int MAX_HEADER = 256;
    private static final int MAX_BODY = 1024;

    private static Object decode(byte[] bytes) {
        return KimPacketCodec.decode(Unpooled.wrappedBuffer(bytes), MAX_HEADER, MAX_BODY);
    }

    private static byte[] encode(Object packet) {
        ByteBuf buf = KimPacketCodec.encode(UnpooledByteBufAllocator.DEFAULT, packet);
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void pingAndPongBothWays() {
        assertThat(decode(KimGoldenBytes.PING)).isEqualTo(BasicPacket.PING);
        assertThat(encode(BasicPacket.PING)).isEqualTo(KimGoldenBytes.PING);
        assertThat(encode(BasicPacket.PONG)).isEqualTo(KimGoldenBytes.PONG);
    }

    @Test
    void loginSigninBothWays() throws Exception {
        LogicPacket login = (LogicPacket) decode(KimGoldenBytes.LOGIN_SIGNIN_SEQ_1);
        assertThat(login.command()).isEqualTo(LogicPacket.LOGIN_SIGN_IN);
        assertThat(login.sequence()).isEqualTo(1);
        assertThat(login.header().getFlag()).isEqualTo(Flag.Request);
        assertThat(LoginReq.parseFrom(login.body()).getToken()).isEqualTo("t");
        assertThat(encode(LogicPacket.request(LogicPacket.LOGIN_SIGN_IN, 1, KimGoldenBytes.LOGIN_BODY)))
                .isEqualTo(KimGoldenBytes.LOGIN_SIGNIN_SEQ_1);

        LogicPacket response = LogicPacket.response(login.header(), Status.Success, new byte[0]);
        assertThat(encode(response)).isEqualTo(KimGoldenBytes.LOGIN_RESPONSE_SEQ_1);
        assertThat(decode(KimGoldenBytes.LOGIN_RESPONSE_SEQ_1)).isEqualTo(response);
    }

    @Test
    void pushCarriesFlagPush() {
        LogicPacket push = LogicPacket.push("onChat", "{}".getBytes());
        assertThat(encode(push)).isEqualTo(KimGoldenBytes.PUSH_ON_CHAT);
        assertThat(((LogicPacket) decode(KimGoldenBytes.PUSH_ON_CHAT)).header().getFlag()).isEqualTo(Flag.Push);
    }

    @Test
    void malformedPacketsAreRefused() {
        assertThatThrownBy(() -> decode(hex("c311a3"))).isInstanceOf(KimProtocolException.class);
        assertThatThrownBy(() -> decode(hex("c311a366 00000000 00000000"))).isInstanceOf(KimProtocolException.class)
                .hasMessageContaining("magic");
        // header length over the cap, before any header byte is there
        assertThatThrownBy(() -> decode(hex("c311a365 01010000"))).isInstanceOf(KimTooLargeException.class);
        // body length over the cap
        assertThatThrownBy(() -> decode(hex("c311a365 00000000 01040000"))).isInstanceOf(KimTooLargeException.class);
        // a header that is not protobuf (field 0 is never valid)
        assertThatThrownBy(() -> decode(hex("c311a365 02000000 0000 00000000")))
                .isInstanceOf(KimProtocolException.class).hasMessageContaining("protobuf");
        // lengths that overrun the packet, or leave bytes after it
        assertThatThrownBy(() -> decode(hex("c311a365 05000000 0a"))).isInstanceOf(KimProtocolException.class);
        assertThatThrownBy(() -> decode(hex("c311a365 00000000 00000000 ff")))
                .isInstanceOf(KimProtocolException.class);
        assertThatThrownBy(() -> decode(hex("c315a765 0100 0100"))).isInstanceOf(KimProtocolException.class);
        assertThatThrownBy(() -> decode(hex("c315a765 01"))).isInstanceOf(KimProtocolException.class);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 7, 42, 1234})
    void tcpFramesWholeSplitAndJoined(long chunkSeed) {
        byte[] stream = concat(KimGoldenBytes.tcpFrame(KimGoldenBytes.LOGIN_SIGNIN_SEQ_1), KimGoldenBytes.TCP_OP_PING,
                KimGoldenBytes.TCP_FRAME_PING, KimGoldenBytes.TCP_OP_PONG,
                KimGoldenBytes.tcpFrame(KimGoldenBytes.PUSH_ON_CHAT));
        EmbeddedChannel ch = ChunkedInput.channel(UnpooledByteBufAllocator.DEFAULT,
                new KimFrameDecoder(KimPacketDecoder.maxPacketLength(MAX_HEADER, MAX_BODY)),
                new KimPacketDecoder(MAX_HEADER, MAX_BODY));
        List<Object> seen = new ArrayList<>();
        ChunkedInput.write(ch, stream, 0, chunkSeed, seen::add, ChunkedInput.nothing("outbound"));
        ChunkedInput.drain(ch, seen::add, ChunkedInput.nothing("outbound"));
        assertThat(ChunkedInput.failures(ch)).isEmpty();
        assertThat(ch.isOpen()).isTrue();
        ChunkedInput.finish(ch, seen::add, ChunkedInput.nothing("outbound"));
        assertThat(seen).hasSize(4);
        assertThat(((LogicPacket) seen.get(0)).command()).isEqualTo(LogicPacket.LOGIN_SIGN_IN);
        assertThat(seen.get(1)).isEqualTo(KimOpCode.PING);
        assertThat(seen.get(2)).isEqualTo(BasicPacket.PING);
        assertThat(((LogicPacket) seen.get(3)).command()).isEqualTo("onChat");
    }

    @Test
    void tcpFrameEncoderWritesKimFrames() {
        EmbeddedChannel ch = new EmbeddedChannel(KimFrameEncoder.INSTANCE, KimPacketEncoder.INSTANCE);
        ch.writeOutbound(BasicPacket.PING, KimOpCode.PONG);
        assertThat(readAll(ch)).isEqualTo(concat(KimGoldenBytes.TCP_FRAME_PING, KimGoldenBytes.TCP_OP_PONG));
        assertThat(ch.finish()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"01 00000000", "00 00000000", "ff 00000000", "02 ffffffff"})
    void badTcpFramesCloseTheConnection(String frame) {
        EmbeddedChannel ch = ChunkedInput.channel(UnpooledByteBufAllocator.DEFAULT,
                new KimFrameDecoder(KimPacketDecoder.maxPacketLength(MAX_HEADER, MAX_BODY)),
                new KimPacketDecoder(MAX_HEADER, MAX_BODY));
        ChunkedInput.write(ch, hex(frame + " c311a365"), 0, 0, ChunkedInput.nothing("inbound"),
                ChunkedInput.nothing("outbound"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(ChunkedInput.failures(ch)).singleElement().isInstanceOfAny(KimProtocolException.class,
                KimTooLargeException.class);
        ChunkedInput.finish(ch, ChunkedInput.nothing("inbound"), ChunkedInput.nothing("outbound"));
    }

    @Test
    void tcpProbeKnowsKimFromPomelo() {
        assertThat(KimLayout.opensTcpStream(Unpooled.wrappedBuffer(
                KimGoldenBytes.tcpFrame(KimGoldenBytes.LOGIN_SIGNIN_SEQ_1)))).isTrue();
        // a Pomelo handshake-ack (02 00 00 00) followed by a heartbeat
        assertThat(KimLayout.opensTcpStream(Unpooled.wrappedBuffer(hex("02000000 03000000 00")))).isFalse();
        assertThat(KimLayout.opensTcpStream(Unpooled.wrappedBuffer(hex("02 08000000 c315a7")))).isFalse();
    }

    @Test
    void framesBeforeTheLoginAreHeldToTheLoginsCapUntilItSucceeds() {
        int loginCap = KimPacketDecoder.maxPacketLength(MAX_HEADER, MAX_HEADER);
        KimFrameDecoder frames = new KimFrameDecoder(KimPacketDecoder.maxPacketLength(MAX_HEADER, MAX_BODY), loginCap);
        EmbeddedChannel ch = new EmbeddedChannel(frames);
        byte[] overTheLoginCap = KimGoldenBytes.tcpFrame(new byte[loginCap + 1]);
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(overTheLoginCap, 0, 9)))
                .isInstanceOf(KimLoginTooLargeException.class);
        assertThat(ch.finishAndReleaseAll()).isFalse();

        KimFrameDecoder lifted = new KimFrameDecoder(KimPacketDecoder.maxPacketLength(MAX_HEADER, MAX_BODY), loginCap);
        EmbeddedChannel loggedIn = new EmbeddedChannel(lifted);
        lifted.loggedIn();
        loggedIn.writeInbound(Unpooled.wrappedBuffer(overTheLoginCap));
        ByteBuf payload = loggedIn.readInbound();
        assertThat(payload.readableBytes()).isEqualTo(loginCap + 1);
        payload.release();
        assertThat(loggedIn.finishAndReleaseAll()).isFalse();
    }

    @Test
    void whatAnAnswerNeedsOfItsRequestLeavesMetaAndUnknownFieldsBehind() {
        Header plain = Header.newBuilder().setCommand("chat.talk").setChannelId("c1").setSequence(9).setDest("r1")
                .build();
        assertThat(LogicPacket.answerable(plain)).isSameAs(plain);
        Header stuffed = plain.toBuilder().addMeta(Meta.newBuilder().setKey("k")).setUnknownFields(
                UnknownFieldSet.newBuilder().addField(15, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                        .build()).build();
        assertThat(LogicPacket.answerable(stuffed)).isEqualTo(plain);
        assertThat(LogicPacket.response(LogicPacket.answerable(stuffed), Status.Success, new byte[0]))
                .isEqualTo(LogicPacket.response(stuffed, Status.Success, new byte[0]));
    }

    private static byte[] readAll(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        ByteBuf next;
        while ((next = ch.readOutbound()) != null) {
            all.writeBytes(next);
            next.release();
        }
        return ByteBufUtil.getBytes(all);
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuf all = Unpooled.buffer();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return ByteBufUtil.getBytes(all);
    }
}

package io.switchboard.gate.internal;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.gate.Acceptor;
import io.switchboard.gate.ConcurrentChannelMap;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.KickCode;
import io.switchboard.gate.OtherGates;
import io.switchboard.gate.StateListener;
import io.switchboard.metrics.GateMetrics;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.RouteDictionary;
import io.switchboard.protocol.kim.BasicPacket;
import io.switchboard.protocol.kim.KimGoldenBytes;
import io.switchboard.protocol.kim.KimOpCode;
import io.switchboard.protocol.kim.KimPacketCodec;
import io.switchboard.protocol.kim.LogicPacket;
import io.switchboard.protocol.kim.KimLayout;
import io.switchboard.protocol.kim.KimPacketDecoder;
import io.switchboard.protocol.kim.proto.Flag;
import io.switchboard.protocol.kim.proto.Header;
import io.switchboard.protocol.kim.proto.LoginReq;
import io.switchboard.protocol.kim.proto.Meta;
import io.switchboard.protocol.kim.proto.Status;
import io.switchboard.testing.ChunkedInput;
import com.google.protobuf.UnknownFieldSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A KIM client on the whole gate pipeline (EmbeddedChannel, from the first byte): the detector, KIM's frames, the
 * login, a request, pings, an answer and a fan-out push, with the client's bytes whole, split at every size and
 * joined into one write.
 */
class KimPipelineTest {
    private final ManualTicker ticker = new ManualTicker();
    private final List<PomeloMessage> received = new ArrayList<>();
    private final ConcurrentChannelMap channels = new ConcurrentChannelMap();
    private final GateMetrics metrics = new GateMetrics(new SimpleMeterRegistry());
    private EmbeddedChannel ch;
    /** What the gate wrote while ChunkedInput fed it (it shows outbound messages to a check, then releases them). */
    private final ByteBuf sent = Unpooled.buffer();

    @AfterEach
    void tearDown() {
        received.forEach(PomeloMessage::release);
        sent.release();
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    private EmbeddedChannel connect() {
        GateConfig config = GateConfig.builder().port(0).heartbeat(Duration.ofSeconds(10)).ticker(ticker).build();
        StateListener states = (session, reason) -> { };
        GateContext gate = new GateContext(config, Acceptor.ACCEPT_ALL, (session, message) -> received.add(message),
                states, channels, metrics, NotFoundHttpFallback.INSTANCE, new AtomicLong(), new AtomicReference<>(),
                new AtomicReference<>(RouteDictionary.empty()),
                new ParkedSessions(config, channels, states, metrics, OtherGates.NONE));
        EmbeddedChannel client = new EmbeddedChannel();
        client.pipeline().addLast(new GateChannelInitializer(gate));
        return client;
    }

    private static byte[] frame(Object packet) {
        ByteBuf buf = KimPacketCodec.encode(UnpooledByteBufAllocator.DEFAULT, packet);
        try {
            return KimGoldenBytes.tcpFrame(ByteBufUtil.getBytes(buf));
        } finally {
            buf.release();
        }
    }

    /** Everything the gate wrote, as KIM TCP frames decoded: packets, and opcodes for empty control frames. */
    private List<Object> written() {
        ch.runPendingTasks();
        ByteBuf next;
        while ((next = ch.readOutbound()) != null) {
            keep(next);
            next.release();
        }
        ByteBuf all = sent;
        List<Object> frames = new ArrayList<>();
        while (all.isReadable()) {
            KimOpCode op = KimOpCode.fromCode(all.readUnsignedByte());
            ByteBuf payload = all.readSlice((int) all.readUnsignedIntLE());
            frames.add(op == KimOpCode.BINARY ? KimPacketCodec.decode(payload, 4096, 4096) : op);
        }
        all.discardReadBytes();
        return frames;
    }

    private void keep(Object outbound) {
        sent.writeBytes((ByteBuf) outbound);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 3, 99, 4242})
    void loginRequestPingsAndAnswersWholeSplitAndJoined(long chunkSeed) throws Exception {
        ch = connect();
        byte[] login = KimGoldenBytes.tcpFrame(KimGoldenBytes.LOGIN_SIGNIN_SEQ_1);
        ChunkedInput.write(ch, login, 0, chunkSeed, ChunkedInput.nothing("inbound"), this::keep);
        ch.runPendingTasks();
        List<Object> answers = written();
        assertThat(answers).hasSize(1);
        LogicPacket loggedIn = (LogicPacket) answers.get(0);
        assertThat(loggedIn.sequence()).isEqualTo(1);
        assertThat(loggedIn.header().getStatus()).isEqualTo(Status.Success);
        DefaultSession session = DefaultSession.of(ch);
        assertThat(session).isNotNull();

        ByteBuf joined = Unpooled.buffer();
        joined.writeBytes(frame(LogicPacket.request("demo.echo.say", 7, "{\"a\":1}".getBytes(StandardCharsets.UTF_8))));
        joined.writeBytes(KimGoldenBytes.TCP_FRAME_PING);
        joined.writeBytes(frame(LogicPacket.request("demo.echo.say", 8, new byte[0])));
        ChunkedInput.write(ch, ByteBufUtil.getBytes(joined), 0, chunkSeed, ChunkedInput.nothing("inbound"),
                this::keep);
        assertThat(ch.isOpen()).isTrue();
        assertThat(received).hasSize(2);
        assertThat(received.get(0).type()).isEqualTo(MessageType.REQUEST);
        assertThat(received.get(0).route()).isEqualTo("demo.echo.say");
        assertThat(received.get(0).id()).isEqualTo(7);
        assertThat(received.get(0).content().toString(StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(received.get(1).id()).isEqualTo(8);
        assertThat(written()).containsExactly(BasicPacket.PONG);

        session.send(PomeloMessage.response(7, Unpooled.wrappedBuffer("{\"a\":1}".getBytes(StandardCharsets.UTF_8))));
        session.fanOut().push(List.of(session), "onTell", "{}".getBytes(StandardCharsets.UTF_8));
        List<Object> out = written();
        assertThat(out).hasSize(2);
        LogicPacket response = (LogicPacket) out.get(0);
        assertThat(response.sequence()).isEqualTo(7);
        assertThat(response.command()).isEqualTo("demo.echo.say");
        assertThat(response.header().getFlag()).isEqualTo(Flag.Response);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(out.get(1)).isEqualTo(LogicPacket.push("onTell", "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(ChunkedInput.failures(ch)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {0})
    void unansweredRequestsAreCapped(long chunkSeed) throws Exception {
        ch = connect();
        ChunkedInput.write(ch, KimGoldenBytes.tcpFrame(KimGoldenBytes.LOGIN_SIGNIN_SEQ_1), 0, chunkSeed,
                ChunkedInput.nothing("inbound"), this::keep);
        ch.runPendingTasks();
        assertThat(written()).hasSize(1);
        ByteBuf requests = Unpooled.buffer();
        for (int seq = 1; seq <= KimBridge.MAX_UNANSWERED + 1; seq++) {
            requests.writeBytes(frame(LogicPacket.request("demo.echo.say", seq, new byte[0])));
        }
        ChunkedInput.write(ch, ByteBufUtil.getBytes(requests), 0, chunkSeed, ChunkedInput.nothing("inbound"),
                this::keep);
        assertThat(received).hasSize(KimBridge.MAX_UNANSWERED);
        List<Object> out = written();
        assertThat(out).hasSize(1);
        LogicPacket refused = (LogicPacket) out.get(0);
        assertThat(refused.sequence()).isEqualTo(KimBridge.MAX_UNANSWERED + 1);
        assertThat(refused.header().getStatus()).isEqualTo(Status.SystemException);
        assertThat(refused.header().getMeta(0).getValue())
                .isEqualTo(Long.toString(io.switchboard.api.errors.GateErrors.TOO_MANY_PENDING.code()));
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void unansweredRequestsAreCappedByTheBytesOfTheirHeaders() {
        logIn();
        String channel = "c".repeat(4_000);
        int fit = 0;
        for (int seq = 2; ; seq++) {
            LogicPacket request = new LogicPacket(Header.newBuilder().setCommand("demo.echo.say").setSequence(seq)
                    .setFlag(Flag.Request).setChannelId(channel).build(), new byte[0]);
            ch.writeInbound(Unpooled.wrappedBuffer(frame(request)));
            List<Object> out = written();
            if (!out.isEmpty()) {
                LogicPacket refused = (LogicPacket) out.get(0);
                assertThat(refused.sequence()).isEqualTo(seq);
                assertThat(refused.header().getMeta(0).getValue())
                        .isEqualTo(Long.toString(io.switchboard.api.errors.GateErrors.TOO_MANY_PENDING.code()));
                break;
            }
            fit++;
            assertThat(fit).isLessThan(KimBridge.MAX_UNANSWERED);
        }
        // Held to the byte budget, far below the count cap.
        int headerBytes = Header.newBuilder().setCommand("demo.echo.say").setSequence(2).setFlag(Flag.Request)
                .setChannelId(channel).build().getSerializedSize();
        assertThat(fit).isEqualTo(KimBridge.MAX_UNANSWERED_BYTES / headerBytes);
        assertThat(received).hasSize(fit);
        assertThat(ch.isOpen()).isTrue();

        // An answer gives its header's bytes back: the next request is taken.
        DefaultSession.of(ch).send(PomeloMessage.response(2, Unpooled.wrappedBuffer("{}".getBytes(StandardCharsets.UTF_8))));
        assertThat(written()).hasSize(1);
        ch.writeInbound(Unpooled.wrappedBuffer(frame(new LogicPacket(Header.newBuilder().setCommand("demo.echo.say")
                .setSequence(1_000).setFlag(Flag.Request).setChannelId(channel).build(), new byte[0]))));
        assertThat(written()).isEmpty();
        assertThat(received).hasSize(fit + 1);
    }

    /** Logs in over TCP with the golden login and reads its answer. */
    private void logIn() {
        ch = connect();
        ch.writeInbound(Unpooled.wrappedBuffer(KimGoldenBytes.tcpFrame(KimGoldenBytes.LOGIN_SIGNIN_SEQ_1)));
        assertThat(written()).hasSize(1);
        assertThat(DefaultSession.of(ch)).isNotNull();
    }

    /** A login whose LoginReq body is {@code overCap} bytes over the handshake cap. */
    private static LogicPacket loginOverTheHandshakeCap(int overCap) {
        String token = "t".repeat(GateConfig.DEFAULT_MAX_HANDSHAKE_LENGTH);
        byte[] body = LoginReq.newBuilder().setToken(token).build().toByteArray();
        assertThat(body.length).isGreaterThan(GateConfig.DEFAULT_MAX_HANDSHAKE_LENGTH);
        body = LoginReq.newBuilder().setToken(token.substring(0, token.length()
                - (body.length - GateConfig.DEFAULT_MAX_HANDSHAKE_LENGTH) + overCap)).build().toByteArray();
        assertThat(body.length).isEqualTo(GateConfig.DEFAULT_MAX_HANDSHAKE_LENGTH + overCap);
        return LogicPacket.request(LogicPacket.LOGIN_SIGN_IN, 1, body);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void aLoginBodyOverTheHandshakeCapIsRefused(int overCap) {
        ch = connect();
        ch.writeInbound(Unpooled.wrappedBuffer(frame(loginOverTheHandshakeCap(overCap))));
        ch.runPendingTasks();
        List<Object> answers = written();
        assertThat(answers).hasSize(1);
        Status expected = overCap == 0 ? Status.Success : Status.InvalidPacketBody;
        assertThat(((LogicPacket) answers.get(0)).header().getStatus()).isEqualTo(expected);
        assertThat(ch.isOpen()).isEqualTo(overCap == 0);
        assertThat(metrics.kicks(KickCode.HANDSHAKE_TOO_LARGE)).isEqualTo(overCap);
        assertThat(channels.size()).isEqualTo(1 - overCap);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aFrameOverTheLoginCapIsRefusedAtItsHeaderUntilTheLogin(boolean pingFirst) {
        ch = connect();
        if (pingFirst) {
            ch.writeInbound(Unpooled.wrappedBuffer(KimGoldenBytes.TCP_FRAME_PING));
        }
        int cap = KimPacketDecoder.maxPacketLength(GateConfig.DEFAULT_MAX_HANDSHAKE_LENGTH,
                GateConfig.DEFAULT_MAX_HANDSHAKE_LENGTH);
        // Only the frame's header and the packet's magic: refused before the gate waits for the rest.
        ch.writeInbound(Unpooled.buffer().writeByte(KimOpCode.BINARY.code()).writeIntLE(cap + 1)
                .writeInt(KimLayout.LOGIC_MAGIC));
        assertThat(ch.isOpen()).isFalse();
        assertThat(metrics.kicks(KickCode.HANDSHAKE_TOO_LARGE)).isEqualTo(1);
    }

    @Test
    void afterTheLoginAFrameMayCarryAWholeBody() {
        logIn();
        byte[] body = new byte[100 * 1024];
        ch.writeInbound(Unpooled.wrappedBuffer(frame(LogicPacket.request("demo.echo.say", 2, body))));
        assertThat(ch.isOpen()).isTrue();
        assertThat(received).hasSize(1);
        assertThat(received.get(0).content().readableBytes()).isEqualTo(body.length);
    }

    @Test
    void aLoginBodyOverTheHandshakeCapIsRefusedOverWebSocketToo() {
        ch = connect();
        EmbeddedWebSocket.upgrade(ch);
        ByteBuf login = KimPacketCodec.encode(UnpooledByteBufAllocator.DEFAULT, loginOverTheHandshakeCap(1));
        ch.writeInbound(EmbeddedWebSocket.maskedFrame(EmbeddedWebSocket.BINARY, ByteBufUtil.getBytes(login)));
        login.release();
        EmbeddedWebSocket.ServerFrame answer = EmbeddedWebSocket.serverFrame(ch);
        assertThat(((LogicPacket) KimPacketCodec.decode(Unpooled.wrappedBuffer(answer.payload()), 4096, 4096))
                .header().getStatus()).isEqualTo(Status.InvalidPacketBody);
        assertThat(ch.isOpen()).isFalse();
        assertThat(metrics.kicks(KickCode.HANDSHAKE_TOO_LARGE)).isEqualTo(1);
        assertThat(channels.size()).isZero();
    }

    @Test
    void anUnansweredRequestKeepsOnlyWhatItsAnswerNeeds() {
        logIn();
        Header.Builder header = Header.newBuilder().setCommand("demo.echo.say").setChannelId("c1").setSequence(7)
                .setDest("room1").setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(15, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build());
        for (int i = 0; i < 100; i++) {
            header.addMeta(Meta.newBuilder().setKey("k" + i));
        }
        ch.writeInbound(Unpooled.wrappedBuffer(frame(new LogicPacket(header.build(), new byte[0]))));
        assertThat(received).hasSize(1);
        Header kept = ch.pipeline().get(KimBridge.class).pending.get(7);
        assertThat(kept).isEqualTo(Header.newBuilder().setCommand("demo.echo.say").setChannelId("c1").setSequence(7)
                .setDest("room1").build());

        DefaultSession.of(ch).send(PomeloMessage.response(7, Unpooled.EMPTY_BUFFER));
        LogicPacket response = (LogicPacket) written().get(0);
        assertThat(response.header()).isEqualTo(Header.newBuilder().setCommand("demo.echo.say").setChannelId("c1")
                .setSequence(7).setDest("room1").setFlag(Flag.Response).build());
    }
}

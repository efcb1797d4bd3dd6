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
import io.switchboard.protocol.kim.proto.Flag;
import io.switchboard.protocol.kim.proto.Status;
import io.switchboard.testing.ChunkedInput;
import org.junit.jupiter.api.AfterEach;
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
}

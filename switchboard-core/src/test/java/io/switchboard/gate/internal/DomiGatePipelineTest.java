package io.switchboard.gate.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.gate.FanOutBatch;
import io.switchboard.api.Session;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.gate.Acceptance;
import io.switchboard.gate.Acceptor;
import io.switchboard.gate.ClientProtocol;
import io.switchboard.gate.ConcurrentChannelMap;
import io.switchboard.gate.FrameworkRoutes;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.KickCode;
import io.switchboard.gate.KickReasons;
import io.switchboard.gate.OtherGates;
import io.switchboard.gate.StateListener;
import io.switchboard.metrics.GateMetrics;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.RouteDictionary;
import io.switchboard.protocol.domi.DomiEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DOMI client through the whole gate pipeline on an EmbeddedChannel: hello, heartbeats, requests, notifies,
 * replies, pushes (alone and fanned out beside Pomelo clients), kicks, deadlines and every malformed frame.
 * Route codes: {@code demo.echo.say} = 50 (0x32), {@code onTell} = 51 (0x33).
 */
class DomiGatePipelineTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final Duration CHECK = Duration.ofMillis(100);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_BODY = 64;
    /** Hello with empty data: the gate takes {"sys":{"type":"domi"}}. */
    private static final String HELLO = "00 00 00 08 00 00 00 28";
    private static final String HEARTBEAT_FRAME = "00 00 00 08 00 00 00 29";

    private final ManualTicker ticker = new ManualTicker();
    private final List<PomeloMessage> received = new ArrayList<>();
    private final List<String> disconnects = new ArrayList<>();
    private final ConcurrentChannelMap channels = new ConcurrentChannelMap();
    private final RouteDictionary dictionary =
            RouteDictionary.of(FrameworkRoutes.CODES, List.of("demo.echo.say", "onTell"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final GateMetrics metrics = new GateMetrics(meters);
    private final List<EmbeddedChannel> clients = new ArrayList<>();
    private GateChannelInitializer initializer;

    private void gate() {
        gate(Duration.ZERO);
    }

    private void gate(Duration resumeGrace) {
        gate(resumeGrace, Acceptor.ACCEPT_ALL);
    }

    private void gate(Duration resumeGrace, Acceptor acceptor) {
        GateConfig built = GateConfig.builder().port(0).heartbeat(HEARTBEAT).heartbeatCheckInterval(CHECK)
                .handshakeTimeout(HANDSHAKE_TIMEOUT).ticker(ticker).maxBodyLength(MAX_BODY)
                .dictionary(dictionary).resumeGrace(resumeGrace).build();
        StateListener states = (session, reason) -> disconnects.add(reason);
        GateContext gate = new GateContext(built, acceptor, (session, message) -> received.add(message),
                states, channels, metrics, NotFoundHttpFallback.INSTANCE, new AtomicLong(), new AtomicReference<>(),
                new AtomicReference<>(dictionary), new ParkedSessions(built, channels, states, metrics,
                OtherGates.NONE));
        initializer = new GateChannelInitializer(gate);
    }

    private EmbeddedChannel connect() {
        return EmbeddedClients.connect(initializer, clients);
    }

    @AfterEach
    void tearDown() {
        received.forEach(PomeloMessage::release);
        clients.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
    }

    private static String hexOf(String text) {
        return ByteBufUtil.hexDump(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The next frame the gate sent, as hex without spaces. */
    private static String next(EmbeddedChannel ch) {
        ch.runPendingTasks();
        ByteBuf out = ch.readOutbound();
        assertThat(out).as("an outbound frame").isNotNull();
        try {
            return ByteBufUtil.hexDump(out);
        } finally {
            out.release();
        }
    }

    /** A frame's data as JSON, after checking its header says {@code frameType} and an empty extend. */
    private static JsonNode data(String frameHex, int frameType) throws Exception {
        ByteBuf frame = hex(frameHex);
        assertThat(frame.getUnsignedInt(0)).isEqualTo(frame.readableBytes());
        assertThat(frame.getUnsignedShort(4)).isZero();
        assertThat(frame.getUnsignedShort(6)).isEqualTo(frameType);
        return Json.MAPPER.readTree(frame.toString(8, frame.readableBytes() - 8, StandardCharsets.UTF_8));
    }

    /** Connects, says hello, and checks the answer and the first heartbeat. */
    private EmbeddedChannel established() throws Exception {
        EmbeddedChannel ch = connect();
        ch.writeInbound(hex(HELLO));
        JsonNode answer = data(next(ch), DomiEvents.HELLO);
        assertThat(answer.get("code").asInt()).isEqualTo(200);
        assertThat(answer.at("/sys/heartbeat").asInt()).isEqualTo(10);
        assertThat(answer.at("/sys/dict/demo.echo.say").asInt()).isEqualTo(50);
        assertThat(answer.at("/sys/session").isMissingNode()).as("DOMI sessions are not resumed").isTrue();
        assertThat(next(ch)).isEqualTo(HEARTBEAT_FRAME.replace(" ", ""));
        return ch;
    }

    @Test
    void aDroppedDomiSessionEndsAtOnceOnAGateThatResumesPomeloSessions() throws Exception {
        gate(Duration.ofSeconds(30));
        EmbeddedChannel ch = established();
        assertThat(channels.size()).isEqualTo(1);
        ch.close(); // a drop: no reason recorded, which parks a Pomelo session
        assertThat(channels.size()).as("DOMI sessions are not parked: nothing would resume them").isZero();
        assertThat(disconnects).containsExactly(CloseReason.CLIENT_CLOSED);
    }

    private DefaultSession session(EmbeddedChannel ch) {
        return DefaultSession.of(ch);
    }

    private void assertKicked(EmbeddedChannel ch, String reason) throws Exception {
        JsonNode kick = data(next(ch), DomiEvents.KICK);
        assertThat(kick.get("reason").asText()).isEqualTo(reason);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void helloEstablishesASessionAndHeartbeatsAreAnswered() throws Exception {
        gate();
        EmbeddedChannel ch = established();
        assertThat(channels.size()).isEqualTo(1);
        assertThat(session(ch).protocol()).isEqualTo(ClientProtocol.DOMI);
        assertThat(metrics.detected(ClientProtocol.DOMI)).isEqualTo(1);
        ch.writeInbound(hex(HEARTBEAT_FRAME));
        assertThat(next(ch)).isEqualTo(HEARTBEAT_FRAME.replace(" ", ""));
    }

    @Test
    void helloWithAHandshakeAndAKnownDictionary() throws Exception {
        gate();
        EmbeddedChannel ch = connect();
        byte[] json = ("{\"sys\":{\"type\":\"t\",\"dictVersion\":\"" + dictionary.version() + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        ByteBuf hello = Unpooled.buffer().writeInt(8 + json.length).writeShort(0).writeShort(DomiEvents.HELLO)
                .writeBytes(json);
        ch.writeInbound(hello);
        JsonNode answer = data(next(ch), DomiEvents.HELLO);
        assertThat(answer.at("/sys/dict").isMissingNode()).isTrue();
        assertThat(answer.at("/sys/dictVersion").asText()).isEqualTo(dictionary.version());
    }

    @Test
    void requestNotifyReplyAndPushGoldenBytes() throws Exception {
        gate();
        EmbeddedChannel ch = established();
        // Request: route code 50, request id 7, data {"a":1}; then a notify of the same route with data {}.
        ch.writeInbound(hex("00 00 00 13 00 04 00 32 7b 22 61 22 3a 31 7d 00 00 00 07"));
        ch.writeInbound(hex("00 00 00 0a 00 00 00 32 7b 7d"));
        assertThat(received).hasSize(2);
        PomeloMessage request = received.get(0);
        assertThat(request.route()).isEqualTo("demo.echo.say");
        assertThat(request.content().toString(StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(received.get(1).type()).isEqualTo(io.switchboard.protocol.MessageType.NOTIFY);

        DefaultSession session = session(ch);
        session.send(PomeloMessage.response(request.id(), Unpooled.copiedBuffer("{\"a\":1}", StandardCharsets.UTF_8)));
        assertThat(next(ch)).isEqualTo("00000013" + "0004" + "0032" + hexOf("{\"a\":1}") + "00000007");
        session.send(PomeloMessage.errorResponse(request.id(),
                Unpooled.copiedBuffer("{\"code\":1}", StandardCharsets.UTF_8)));
        assertThat(next(ch)).isEqualTo("00000016" + "0004" + "002a" + hexOf("{\"code\":1}") + "00000007");
        session.push("onTell", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(next(ch)).isEqualTo("0000000a" + "0000" + "0033" + "7b7d");
        session.push(FrameworkRoutes.KICK, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(next(ch)).as("framework push routes keep their codes 1-39")
                .isEqualTo("0000000a" + "0000" + "0003" + "7b7d");
        session.push("onChat", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(next(ch)).as("a route without a code is named in the extend")
                .isEqualTo("00000010" + "0006" + "002c" + "7b7d" + hexOf("onChat"));
    }

    @Test
    void splitAndJoinedInput() throws Exception {
        gate();
        EmbeddedChannel ch = connect();
        ByteBuf all = hex(HELLO + " 00 00 00 0c 00 04 00 32 00 00 00 01 " + HEARTBEAT_FRAME);
        while (all.isReadable()) {
            ch.writeInbound(all.readRetainedSlice(1));
        }
        all.release();
        assertThat(data(next(ch), DomiEvents.HELLO).get("code").asInt()).isEqualTo(200);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).route()).isEqualTo("demo.echo.say");
        assertThat(received.get(0).content().readableBytes()).isZero();
    }

    @Test
    void fanOutEncodesOncePerFramingInMixedRooms() throws Exception {
        gate();
        EmbeddedChannel domi = established();
        EmbeddedChannel pomelo = connect();
        String handshake = "{\"sys\":{\"type\":\"t\"}}";
        ByteBuf pkg = Unpooled.buffer().writeByte(1).writeMedium(handshake.length())
                .writeBytes(handshake.getBytes(StandardCharsets.UTF_8));
        pomelo.writeInbound(pkg);
        next(pomelo);
        pomelo.writeInbound(hex("02 00 00 00"));
        assertThat(next(pomelo)).isEqualTo("03000000");
        List<Session> room = List.of(session(domi), DefaultSession.of(pomelo));
        EncodedFanOut.INSTANCE.push(room, "onTell", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(next(domi)).isEqualTo("0000000a" + "0000" + "0033" + "7b7d");
        assertThat(next(pomelo)).isEqualTo("04000005" + "07" + "0033" + "7b7d");
        assertThat(metrics.detected(ClientProtocol.POMELO)).isEqualTo(1);
    }

    /** A Pomelo client through its handshake and ack, its handshake answer and first heartbeat read. */
    private EmbeddedChannel establishedPomelo() {
        EmbeddedChannel pomelo = connect();
        String handshake = "{\"sys\":{\"type\":\"t\"}}";
        pomelo.writeInbound(Unpooled.buffer().writeByte(1).writeMedium(handshake.length())
                .writeBytes(handshake.getBytes(StandardCharsets.UTF_8)));
        next(pomelo);
        pomelo.writeInbound(hex("02 00 00 00"));
        assertThat(next(pomelo)).isEqualTo("03000000");
        return pomelo;
    }

    @Test
    void fanOutsHeldOnAThreadLeaveInOrderWhenTheHoldEnds() throws Exception {
        gate();
        EmbeddedChannel pomelo = establishedPomelo();
        List<Session> room = List.of(DefaultSession.of(pomelo));
        FanOutBatch.begin();
        try {
            FanOutBatch.begin(); // a second begin on the same thread changes nothing
            EncodedFanOut.INSTANCE.push(room, "onTell", "{}".getBytes(StandardCharsets.UTF_8));
            EncodedFanOut.INSTANCE.push(room, "onTell", "[]".getBytes(StandardCharsets.UTF_8));
            pomelo.runPendingTasks();
            assertThat((Object) pomelo.readOutbound()).as("nothing written while held").isNull();
        } finally {
            FanOutBatch.end();
        }
        assertThat(next(pomelo)).isEqualTo("04000005" + "07" + "0033" + "7b7d");
        assertThat(next(pomelo)).isEqualTo("04000005" + "07" + "0033" + "5b5d");
        EncodedFanOut.INSTANCE.push(room, "onTell", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(next(pomelo)).as("after the hold, at once").isEqualTo("04000005" + "07" + "0033" + "7b7d");
    }

    @Test
    void fanOutsOnTheSessionsOwnLoopWriteTogetherOnceTheLoopRunsItsTasks() throws Exception {
        gate();
        EmbeddedChannel pomelo = establishedPomelo();
        AtomicInteger flushes = new AtomicInteger();
        pomelo.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                flushes.incrementAndGet();
                ctx.flush();
            }
        });
        List<Session> room = List.of(DefaultSession.of(pomelo));
        // An embedded channel's loop is the calling thread: as a non-blocking handler's broadcasts of one read are.
        EncodedFanOut.INSTANCE.push(room, "onTell", "{}".getBytes(StandardCharsets.UTF_8));
        EncodedFanOut.INSTANCE.push(room, "onTell", "[]".getBytes(StandardCharsets.UTF_8));
        assertThat(pomelo.outboundMessages()).as("nothing written within the loop's turn").isEmpty();

        pomelo.runPendingTasks();
        assertThat(flushes).as("both pushes with one flush").hasValue(1);
        assertThat(next(pomelo)).isEqualTo("04000005" + "07" + "0033" + "7b7d");
        assertThat(next(pomelo)).isEqualTo("04000005" + "07" + "0033" + "5b5d");
    }

    @Test
    void aHoldWritesWhatItHeldOnceItHoldsTheMostPushes() throws Exception {
        gate();
        EmbeddedChannel pomelo = establishedPomelo();
        List<Session> room = List.of(DefaultSession.of(pomelo));
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        FanOutBatch.begin();
        try {
            for (int i = 1; i < EncodedFanOut.MAX_HELD_PUSHES; i++) {
                EncodedFanOut.INSTANCE.push(room, "onTell", body);
            }
            pomelo.runPendingTasks();
            assertThat(pomelo.outboundMessages()).as("held below the cap").isEmpty();
            EncodedFanOut.INSTANCE.push(room, "onTell", body);
            pomelo.runPendingTasks();
            assertThat(pomelo.outboundMessages()).as("written at the cap").hasSize(EncodedFanOut.MAX_HELD_PUSHES);
            pomelo.releaseOutbound();
            EncodedFanOut.INSTANCE.push(room, "onTell", body);
            pomelo.runPendingTasks();
            assertThat(pomelo.outboundMessages()).as("and held again after it").isEmpty();
        } finally {
            FanOutBatch.end();
        }
        assertThat(next(pomelo)).isEqualTo("04000005" + "07" + "0033" + "7b7d");
    }

    @Test
    void kickIsAKickFrame() throws Exception {
        gate();
        EmbeddedChannel ch = established();
        session(ch).kick("bye");
        assertKicked(ch, "bye");
        assertThat(metrics.kicks(KickCode.KICKED_BY_APP)).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "length shorter than the header | 00 00 00 03 00 00 00 32 | frame length 3 is shorter than the 8-byte header",
            "extendSize past the frame | 00 00 00 0a 00 05 00 32 7b 7d | extendSize 5 is larger than the frame's 2 bytes after the header",
            "reserved frameType from a client | 00 00 00 08 00 00 00 2a | reserved frameType 42 is not one a client may send",
            "framework route code from a client | 00 00 00 08 00 00 00 01 | reserved frameType 1 is not one a client may send",
            "unknown route code | 00 00 00 08 00 00 00 63 | unknown route code 99",
            "extend neither empty nor a request id | 00 00 00 0b 00 03 00 32 00 00 01 | extend must be empty (notify) or a 4-byte request id (request), not 3 bytes",
            "second hello | 00 00 00 08 00 00 00 28 | duplicate handshake"})
    void malformedFrameClosesOnlyThatConnection(String name, String frame, String reason) throws Exception {
        gate();
        EmbeddedChannel bad = established();
        EmbeddedChannel good = established();
        bad.writeInbound(hex(frame));
        assertKicked(bad, reason);
        assertThat(metrics.kicks(KickCode.BAD_PACKAGE)).isEqualTo(1);
        assertThat(meters.get("switchboard.gate.protocol.errors").counter().count()).isEqualTo(1);
        assertThat(received).isEmpty();
        assertThat(good.isOpen()).isTrue();
        good.writeInbound(hex("00 00 00 08 00 00 00 32"));
        assertThat(received).hasSize(1);
    }

    @Test
    void frameOverTheBodyCapIsRefusedFromItsHeader() throws Exception {
        gate();
        EmbeddedChannel ch = established();
        int cap = DomiTranslator.maxFrameLength(initializerConfig());
        ch.writeInbound(Unpooled.buffer().writeInt(cap + 1).writeShort(0).writeShort(50));
        assertKicked(ch, "frame of " + (cap + 1) + " bytes is over the limit of " + cap);
        assertThat(metrics.kicks(KickCode.BODY_TOO_LARGE)).isEqualTo(1);
    }

    @Test
    void bodyOverTheCapWithinTheFrameCapIsRefused() throws Exception {
        gate();
        EmbeddedChannel ch = established();
        ch.writeInbound(Unpooled.buffer().writeInt(8 + MAX_BODY + 1).writeShort(0).writeShort(50)
                .writeZero(MAX_BODY + 1));
        assertKicked(ch, "body too large: " + (MAX_BODY + 1) + " bytes, limit " + MAX_BODY);
        assertThat(metrics.kicks(KickCode.BODY_TOO_LARGE)).isEqualTo(1);
    }

    private GateConfig initializerConfig() {
        return GateConfig.builder().port(0).maxBodyLength(MAX_BODY).build();
    }

    @Test
    void helloOverTheHandshakeCapIsRefusedFromItsHeader() throws Exception {
        gate();
        EmbeddedChannel ch = connect();
        int cap = DomiTranslator.maxHelloLength(initializerConfig());
        ch.writeInbound(Unpooled.buffer().writeInt(cap + 1).writeShort(0).writeShort(DomiEvents.HELLO));
        assertThat(ch.isOpen()).isFalse();
        assertThat(metrics.kicks(KickCode.HANDSHAKE_TOO_LARGE)).isEqualTo(1);
    }

    @Test
    void framesStayUnderTheHelloCapUntilTheClientIsAccepted() throws Exception {
        CompletableFuture<Acceptance> decision = new CompletableFuture<>();
        gate(Duration.ZERO, info -> decision);
        EmbeddedChannel ch = connect();
        ch.writeInbound(hex(HELLO));
        ch.runPendingTasks();

        // The acceptor has not answered: a frame past the hello's cap is refused from its header, unbuffered.
        int cap = DomiTranslator.maxHelloLength(initializerConfig());
        ch.writeInbound(Unpooled.buffer().writeInt(cap + 1).writeShort(0).writeShort(50));
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(metrics.kicks(KickCode.HANDSHAKE_TOO_LARGE)).isEqualTo(1);
        decision.complete(Acceptance.accept());
    }

    @Test
    void firstFrameMustBeAHello() throws Exception {
        gate();
        EmbeddedChannel ch = connect();
        ch.writeInbound(hex(HEARTBEAT_FRAME));
        assertKicked(ch, "the first frame must be a hello (40), not 41");
        assertThat(channels.size()).isZero();
    }

    @Test
    void noHelloWithinTheDeadlineCloses() throws Exception {
        gate();
        EmbeddedChannel ch = connect();
        ch.writeInbound(hex("00 00 00")); // the first bytes of a frame: DOMI is known, no hello yet
        ticker.advance(HANDSHAKE_TIMEOUT.plusSeconds(1));
        ch.advanceTimeBy(CHECK.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertKicked(ch, KickReasons.HANDSHAKE_TIMEOUT);
        assertThat(metrics.kicks(KickCode.HANDSHAKE_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void silenceAfterTheHelloIsAHeartbeatTimeout() throws Exception {
        gate();
        EmbeddedChannel ch = established();
        ticker.advance(HEARTBEAT.multipliedBy(2).plusMillis(1));
        ch.advanceTimeBy(CHECK.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertKicked(ch, KickReasons.HEARTBEAT_TIMEOUT);
        assertThat(disconnects).containsExactly(KickReasons.HEARTBEAT_TIMEOUT);
    }

    @Test
    void domiControlCodesStayClearOfFrameworkRoutes() {
        assertThat(FrameworkRoutes.CODES.values()).allMatch(code -> code < DomiEvents.FIRST_CONTROL_EVENT);
    }
}

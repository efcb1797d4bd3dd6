package io.switchboard.gate.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.switchboard.protocol.PomeloPackageEncoder;
import io.switchboard.protocol.PackageHeader;
import io.netty.util.internal.PlatformDependent;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.gate.Acceptance;
import io.switchboard.gate.Acceptor;
import io.switchboard.gate.ConcurrentChannelMap;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.OtherGates;
import io.switchboard.gate.KickCode;
import io.switchboard.gate.KickReasons;
import io.switchboard.api.Session;
import io.switchboard.gate.StateListener;
import io.switchboard.metrics.GateMetrics;
import io.switchboard.protocol.HandshakeResponse;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.MessageFlags;
import io.switchboard.protocol.websocket.WebSocketFrameLayout;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.PomeloMessageCodec;
import io.switchboard.protocol.RouteDictionary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.IntStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole gate pipeline on an EmbeddedChannel: handshake, heartbeats, messages and every malformed input. */
class GatePipelineTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final Duration CHECK = Duration.ofMillis(100);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    private static final int REMOTE_PORT = 40_000;

    private final ManualTicker ticker = new ManualTicker();
    private final List<PomeloMessage> received = new ArrayList<>();
    private final List<String> disconnects = new ArrayList<>();
    private final ConcurrentChannelMap channels = new ConcurrentChannelMap();
    private RouteDictionary dictionary = RouteDictionary.of(Map.of(), List.of("demo.echo.say", "onTell"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final GateMetrics metrics = new GateMetrics(meters);
    private final List<EmbeddedChannel> clients = new ArrayList<>();
    private Acceptor acceptor = Acceptor.ACCEPT_ALL;
    private GateChannelInitializer initializer;
    private EmbeddedChannel ch;

    private GateConfig.Builder config(int maxBody) {
        return GateConfig.builder().port(0).heartbeat(HEARTBEAT).heartbeatCheckInterval(CHECK)
                .handshakeTimeout(HANDSHAKE_TIMEOUT).ticker(ticker).maxBodyLength(maxBody).dictionary(dictionary);
    }

    private EmbeddedChannel channel(int maxBody) {
        return channel(config(maxBody));
    }

    /** A gate with {@code config} and its first client, {@link #ch}. */
    private EmbeddedChannel channel(GateConfig.Builder config) {
        GateConfig built = config.build();
        StateListener states = (session, reason) -> disconnects.add(reason);
        GateContext gate = new GateContext(built, acceptor, (session, message) -> received.add(message),
                states, channels, metrics, NotFoundHttpFallback.INSTANCE, new AtomicLong(), new AtomicReference<>(),
                new AtomicReference<>(dictionary), new ParkedSessions(built, channels, states, metrics, OtherGates.NONE));
        initializer = new GateChannelInitializer(gate);
        ch = connect();
        return ch;
    }

    /** Another client of the same gate. */
    private EmbeddedChannel connect() {
        return EmbeddedClients.connect(initializer, clients);
    }

    /** Another client of the same gate, from {@code ip}. */
    private EmbeddedChannel connect(String ip) throws Exception {
        EmbeddedChannel client = new RemoteClient(new InetSocketAddress(InetAddress.getByName(ip), REMOTE_PORT));
        client.register();
        client.freezeTime();
        client.pipeline().addLast(initializer);
        clients.add(client);
        return client;
    }

    /** An embedded channel that says it comes from a given address. */
    private static final class RemoteClient extends EmbeddedChannel {
        private final SocketAddress remote;

        RemoteClient(SocketAddress remote) {
            super(false, false);
            this.remote = remote;
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return remote;
        }
    }

    /** Moves the ticker and every client's clock together, running the checks that fall due. */
    private void advance(Duration by) {
        ticker.advance(by);
        for (EmbeddedChannel client : clients) {
            client.advanceTimeBy(by.toNanos(), TimeUnit.NANOSECONDS);
            client.runScheduledPendingTasks();
        }
    }

    @AfterEach
    void tearDown() {
        received.forEach(PomeloMessage::release);
        clients.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private static ByteBuf pkg(PackageType type, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = Unpooled.buffer();
        buf.writeByte(type.code()).writeMedium(bytes.length).writeBytes(bytes);
        return buf;
    }

    private static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
    }

    /** Reads one outbound package: its type and body as text. */
    private String[] readPackage() {
        ch.runPendingTasks();
        ByteBuf out = ch.readOutbound();
        assertThat(out).as("an outbound package").isNotNull();
        try {
            int type = out.readUnsignedByte();
            int length = out.readUnsignedMedium();
            assertThat(out.readableBytes()).isEqualTo(length);
            return new String[] {String.valueOf(type), out.toString(StandardCharsets.UTF_8)};
        } finally {
            out.release();
        }
    }

    private JsonNode handshake(String json) throws Exception {
        ch.writeInbound(pkg(PackageType.HANDSHAKE, json));
        String[] response = readPackage();
        assertThat(response[0]).isEqualTo("1");
        return Json.MAPPER.readTree(response[1]);
    }

    private void establish() throws Exception {
        JsonNode response = handshake("{\"sys\":{\"type\":\"test\",\"version\":\"1\"},\"user\":{}}");
        assertThat(response.get("code").asInt()).isEqualTo(200);
        ch.writeInbound(hex("02 00 00 00"));
        assertThat(ByteBufUtil.hexDump(readAndKeep())).isEqualTo("03000000");
    }

    private ByteBuf readAndKeep() {
        // Session writes from handler threads go out in an event-loop task.
        ch.runPendingTasks();
        ByteBuf out = ch.readOutbound();
        String hex = ByteBufUtil.hexDump(out);
        out.release();
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
    }

    private void assertKicked(String reason) throws Exception {
        String[] kick = readPackage();
        assertThat(kick[0]).isEqualTo(String.valueOf(PackageType.KICK.code()));
        assertThat(Json.MAPPER.readTree(kick[1]).get("reason").asText()).isEqualTo(reason);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void handshakeAckThenHeartbeatAndSession() throws Exception {
        channel(1024);
        JsonNode response = handshake("{\"sys\":{\"type\":\"js-websocket\",\"version\":\"0.0.1\"},\"user\":{}}");
        assertThat(response.get("code").asInt()).isEqualTo(200);
        assertThat(response.at("/sys/heartbeat").asInt()).isEqualTo(10);
        assertThat(response.at("/sys/dict/demo.echo.say").asInt()).isEqualTo(50);
        assertThat(response.at("/sys/useDict").asBoolean()).isTrue();
        assertThat(response.at("/sys/serializer").asText()).isEqualTo("json");
        assertThat(channels.size()).isZero();
        ch.writeInbound(hex("02 00 00 00"));
        assertThat(ByteBufUtil.hexDump(readAndKeep())).isEqualTo("03000000");
        assertThat(channels.size()).isEqualTo(1);
        ch.writeInbound(hex("03 00 00 00"));
        assertThat(ByteBufUtil.hexDump(readAndKeep())).isEqualTo("03000000");
    }

    @Test
    void aLargeHandshakeAnswerLeavesWithItsSharedHeadUncopied() throws Exception {
        dictionary = RouteDictionary.of(Map.of(), IntStream.range(0, 60).mapToObj(i -> "demo.route.r" + i).toList());
        channel(1024);
        EmbeddedChannel other = connect();
        ByteBuf[] answers = new ByteBuf[2];
        int i = 0;
        for (EmbeddedChannel client : List.of(ch, other)) {
            client.writeInbound(pkg(PackageType.HANDSHAKE, "{\"sys\":{\"type\":\"t\"}}"));
            client.runPendingTasks();
            answers[i++] = client.readOutbound();
        }
        try {
            for (ByteBuf answer : answers) {
                assertThat(answer).isInstanceOf(CompositeByteBuf.class);
                assertThat(answer.readableBytes()).isGreaterThan(PomeloPackageEncoder.GATHERING_THRESHOLD);
                JsonNode json = Json.MAPPER.readTree(ByteBufUtil.getBytes(answer, PackageHeader.HEADER_LENGTH,
                        answer.readableBytes() - PackageHeader.HEADER_LENGTH));
                assertThat(json.at("/sys/dict/demo.route.r59").asInt()).isPositive();
            }
            // The body went out as it was, behind a header of its own: the header, the shared head, this client's tail.
            ByteBuffer[] first = answers[0].nioBuffers();
            ByteBuffer[] second = answers[1].nioBuffers();
            assertThat(first).hasSize(3);
            assertThat(second).hasSize(3);
            assertThat(PlatformDependent.directBufferAddress(first[1])).as("one head in memory for both clients")
                    .isEqualTo(PlatformDependent.directBufferAddress(second[1]));
        } finally {
            for (ByteBuf answer : answers) {
                answer.release();
            }
        }
    }

    @Test
    void pitayaHandshakeIsAccepted() throws Exception {
        channel(1024);
        JsonNode response = handshake("{\"sys\":{\"platform\":\"mac\",\"libVersion\":\"0.3.5-release\","
                + "\"clientBuildNumber\":\"20\",\"clientVersion\":\"2.1\"},\"user\":{\"age\":30}}");
        assertThat(response.get("code").asInt()).isEqualTo(200);
    }

    @Test
    void clientThatHoldsTheDictionaryIsNotSentItAgain() throws Exception {
        channel(1024);
        JsonNode response = handshake("{\"sys\":{\"type\":\"t\",\"dictVersion\":\"" + dictionary.version() + "\"}}");
        assertThat(response.at("/sys/dict").isMissingNode()).isTrue();
        assertThat(response.at("/sys/dictVersion").asText()).isEqualTo(dictionary.version());
    }

    @Test
    void splitHandshakeAndJoinedAckWithRequest() throws Exception {
        channel(1024);
        ByteBuf hs = pkg(PackageType.HANDSHAKE, "{\"sys\":{\"type\":\"t\"}}");
        while (hs.isReadable()) {
            ch.writeInbound(hs.readRetainedSlice(1));
        }
        hs.release();
        assertThat(readPackage()[0]).isEqualTo("1");
        // Ack and a request (id 1, compressed route 50, body {}) in one buffer.
        ch.writeInbound(hex("02 00 00 00 04 00 00 06 01 01 00 32 7b 7d"));
        readAndKeep().release();
        assertThat(received).hasSize(1);
        assertThat(received.get(0).route()).isEqualTo("demo.echo.say");
        assertThat(received.get(0).id()).isEqualTo(1);
        assertThat(received.get(0).content().toString(StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    @Test
    void requestNotifyAndResponseVectors() throws Exception {
        channel(1024);
        establish();
        ch.writeInbound(hex("04 00 00 04 00 01 01 61"));
        ch.writeInbound(hex("04 00 00 03 02 01 61"));
        assertThat(received).extracting(PomeloMessage::route).containsExactly("a", "a");
        Session session = channels.all().iterator().next();
        ((DefaultSession) session).write(PomeloMessage.response(129, Unpooled.EMPTY_BUFFER));
        assertThat(ByteBufUtil.hexDump(readAndKeep())).isEqualTo("0400000304" + "8101");
        session.push("onTell", "{}".getBytes(StandardCharsets.UTF_8));
        // Push (type 3 << 1 | route compressed) with code 51.
        assertThat(ByteBufUtil.hexDump(readAndKeep())).isEqualTo("04000005" + "07" + "0033" + "7b7d");
    }

    @Test
    void aPushStillQueuedWhenTheConnectionClosesFailsWithClosedChannelAndIsReleased() throws Exception {
        channel(1024);
        establish();
        Session session = channels.all().iterator().next();
        // Queued: its drain is a task of the event loop, which the test has not run yet; the connection drops
        // before it runs (EmbeddedChannel.close() would run the task first).
        CompletableFuture<Void> queued = session.push("onTell", "{}".getBytes(StandardCharsets.UTF_8));
        ch.unsafe().close(ch.unsafe().voidPromise());
        assertThat(queued).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .havingCause().isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void compressionOnlyForClientsThatAskForIt() throws Exception {
        channel(1024);
        JsonNode response = handshake("{\"sys\":{\"type\":\"t\",\"compress\":true}}");
        assertThat(response.at("/sys/compress").asText()).isEqualTo("zlib");
        ch.writeInbound(hex("02 00 00 00"));
        readAndKeep().release();
        channels.all().iterator().next().push("onTell", "{\"a\":\"aaaaaaaaaaaaaaaaaaaa\"}".getBytes());
        ByteBuf out = readAndKeep();
        assertThat(out.getByte(4) & MessageFlags.BODY_COMPRESSED).isNotZero();
        out.release();
    }

    @Test
    void heartbeatTimeoutKicksAfterTwiceTheInterval() throws Exception {
        channel(1024);
        establish();
        ticker.advance(HEARTBEAT.multipliedBy(2));
        ch.advanceTimeBy(CHECK.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).as("exactly 2x is not yet too long").isTrue();
        ticker.advance(Duration.ofMillis(1));
        ch.advanceTimeBy(CHECK.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertKicked(KickReasons.HEARTBEAT_TIMEOUT);
        assertThat(disconnects).containsExactly(KickReasons.HEARTBEAT_TIMEOUT);
        assertThat(channels.size()).isZero();
    }

    @Test
    void anyPackageProvesTheClientAlive() throws Exception {
        channel(1024);
        establish();
        ticker.advance(HEARTBEAT.plusSeconds(5));
        ch.writeInbound(hex("04 00 00 03 02 01 61"));
        ticker.advance(HEARTBEAT.plusSeconds(5));
        ch.advanceTimeBy(CHECK.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void handshakeTimeout() throws Exception {
        channel(1024);
        ch.writeInbound(hex("03 00 00 00"));
        ticker.advance(Duration.ofSeconds(6));
        ch.advanceTimeBy(CHECK.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertKicked(KickReasons.HANDSHAKE_TIMEOUT);
    }

    @Test
    void unknownPackageTypeClosesWithAReason() throws Exception {
        channel(1024);
        establish();
        ch.writeInbound(hex("09 00 00 00"));
        assertKicked("unknown package type 9");
    }

    @Test
    void oversizedBodyIsRefused() throws Exception {
        channel(64);
        establish();
        ch.writeInbound(hex("04 00 01 00"));
        assertKicked("body too large: 256 bytes, limit 64");
    }

    @Test
    void truncatedVarintCloses() throws Exception {
        channel(1024);
        establish();
        ch.writeInbound(hex("04 00 00 02 00 81"));
        assertKicked("truncated message id");
    }

    @Test
    void routeLengthPastTheEndCloses() throws Exception {
        channel(1024);
        establish();
        ch.writeInbound(hex("04 00 00 04 00 01 09 61"));
        assertKicked("route length 9 past the end of the message");
    }

    @Test
    void badHandshakeJsonGets500AndClose() throws Exception {
        channel(1024);
        JsonNode response = handshake("{nope");
        assertThat(response.get("code").asInt()).isEqualTo(HandshakeResponse.CODE_BAD_HANDSHAKE);
        assertThat(response.has("sys")).isFalse();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void acceptorMayRefuseWith501() throws Exception {
        acceptor = info -> CompletableFuture.completedFuture("0.0.1".equals(info.handshake().clientVersion())
                ? Acceptance.refuse(HandshakeResponse.CODE_OLD_CLIENT) : Acceptance.accept("u1"));
        channel(1024);
        JsonNode response = handshake("{\"sys\":{\"type\":\"t\",\"version\":\"0.0.1\"}}");
        assertThat(response.get("code").asInt()).isEqualTo(501);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void acceptorMayBindAUser() throws Exception {
        acceptor = info -> CompletableFuture.completedFuture(Acceptance.accept("u1"));
        channel(1024);
        establish();
        assertThat(channels.all().iterator().next().userId()).isEqualTo("u1");
    }

    @Test
    void dataBeforeTheHandshakeCloses() throws Exception {
        channel(1024);
        ch.writeInbound(hex("04 00 00 03 02 01 61"));
        assertKicked(KickReasons.DATA_BEFORE_HANDSHAKE);
    }

    @Test
    void dataBeforeTheAckCloses() throws Exception {
        channel(1024);
        handshake("{\"sys\":{\"type\":\"t\"}}");
        ch.writeInbound(hex("04 00 00 03 02 01 61"));
        assertKicked(KickReasons.DATA_BEFORE_ACK);
        assertThat(received).isEmpty();
    }

    @Test
    void anAckBehindTheDataThatClosedTheConnectionMakesNoSession() throws Exception {
        channel(1024);
        handshake("{\"sys\":{\"type\":\"t\"}}");
        // The decoder goes on with the rest of the buffer after the kick has closed the connection.
        ch.writeInbound(hex("04 00 00 03 02 01 61  02 00 00 00"));
        assertKicked(KickReasons.DATA_BEFORE_ACK);
        assertThat(channels.size()).as("sessions in the channel map").isZero();
        assertThat(ch.attr(DefaultSession.KEY).get()).isNull();
        assertThat(received).isEmpty();
    }

    @Test
    void requestsBehindTheBadPackageThatClosedTheConnectionAreNotHandled() throws Exception {
        channel(1024);
        establish();
        // A request, a response (clients may not send those), then a request, in one buffer.
        ch.writeInbound(hex("04 00 00 04 00 01 01 61  04 00 00 02 04 01  04 00 00 04 00 02 01 62"));
        assertKicked("clients may not send RESPONSE messages");
        assertThat(received).extracting(PomeloMessage::route).containsExactly("a");
    }

    @Test
    void secondHandshakeCloses() throws Exception {
        channel(1024);
        establish();
        assertThat(ch.pipeline().get(HandshakeHandler.class)).as("gone once established, with what it held").isNull();
        ch.writeInbound(pkg(PackageType.HANDSHAKE, "{\"sys\":{}}"));
        assertKicked(KickReasons.DUPLICATE_HANDSHAKE);
    }

    @Test
    void clientMayNotSendResponses() throws Exception {
        channel(1024);
        establish();
        ch.writeInbound(hex("04 00 00 02 04 01"));
        assertKicked("clients may not send RESPONSE messages");
    }

    @Test
    void webSocketUpgradeForAnotherPathIsAnsweredByTheFallback() {
        // Found by GatePipelineFuzzTest: the WebSocket handshake passes over a request whose URI does not start with
        // the WebSocket path (here absolute-form), and it fell off the end of the pipeline, unanswered.
        channel(1024);
        ch.writeInbound(Unpooled.copiedBuffer("GET http://127.0.0.1/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n", StandardCharsets.US_ASCII));
        ch.runPendingTasks();
        assertThat((Object) ch.readInbound()).isNull();
        ByteBuf response = ch.readOutbound();
        assertThat(response.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 404 Not Found");
        response.release();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aWebSocketSessionKeepsOnlyTheHandlersItUsesAndRefusesTextFrames() throws Exception {
        channel(1024);
        establishOverWebSocket();
        assertThat(channels.size()).isEqualTo(1);

        // Idle connections are counted in the hundred thousands: what is left is what a session uses.
        assertThat(ch.pipeline().get(WebSocketUpgradeRouter.class)).as("upgrade routers").isNull();
        assertThat(ch.pipeline().get(io.netty.handler.codec.http.websocketx.Utf8FrameValidator.class)).isNull();
        assertThat(ch.pipeline().get(HandshakeHandler.class)).isNull();
        assertThat(ch.pipeline().get(HandshakeDeadlineHandler.class)).isNull();

        // Not UTF-8, and a text frame at that: refused by what reads frames, not by a validator.
        ch.writeInbound(maskedFrame(EmbeddedWebSocket.TEXT, new byte[] {(byte) 0xff, (byte) 0xfe}));
        byte[] kick = serverFrame();
        assertThat(kick[0]).isEqualTo((byte) PackageType.KICK.code());
        assertThat(new String(kick, 4, kick.length - 4, StandardCharsets.UTF_8))
                .contains("text WebSocket frames are not supported");
        assertThat(ch.isOpen()).isFalse();
    }

    /** Upgrades {@link #ch} to WebSocket and establishes a session over it, the first heartbeat read. */
    private void establishOverWebSocket() {
        EmbeddedWebSocket.upgrade(ch);
        ByteBuf handshake = pkg(PackageType.HANDSHAKE, "{\"sys\":{\"type\":\"t\"}}");
        ch.writeInbound(maskedFrame(EmbeddedWebSocket.BINARY, ByteBufUtil.getBytes(handshake)));
        handshake.release();
        assertThat(serverFrame()[0]).as("the handshake answer, a package").isEqualTo((byte) PackageType.HANDSHAKE.code());
        ch.writeInbound(maskedFrame(EmbeddedWebSocket.BINARY, ByteBufUtil.decodeHexDump("02000000")));
        assertThat(ByteBufUtil.hexDump(serverFrame())).as("the first heartbeat").isEqualTo("03000000");
    }

    private static ByteBuf maskedFrame(int first, byte[] payload) {
        return EmbeddedWebSocket.maskedFrame(first, payload);
    }

    /** The payload of the server's next frame (unmasked, under 64 KiB). */
    private byte[] serverFrame() {
        EmbeddedWebSocket.ServerFrame frame = EmbeddedWebSocket.serverFrame(ch);
        assertThat(frame).as("a frame from the server").isNotNull();
        return frame.payload();
    }

    /** Pings with the payloads {@code 0..count-1}, each one byte, in one read. */
    private void pings(int count) {
        ByteBuf pings = Unpooled.buffer();
        for (int i = 0; i < count; i++) {
            ByteBuf ping = maskedFrame(EmbeddedWebSocket.PING, new byte[] {(byte) i});
            pings.writeBytes(ping);
            ping.release();
        }
        ch.writeInbound(pings);
    }

    @Test
    void aPingFloodGetsOnePongPerReadForItsLastPing() {
        channel(1024);
        establishOverWebSocket();
        pings(50);
        EmbeddedWebSocket.ServerFrame pong = EmbeddedWebSocket.serverFrame(ch);
        assertThat(pong.first()).isEqualTo(EmbeddedWebSocket.PONG);
        assertThat(pong.payload()).as("RFC 6455 5.5.3: the most recent ping's").containsExactly(49);
        assertThat(EmbeddedWebSocket.serverFrame(ch)).as("one pong for the read").isNull();
        pings(1);
        assertThat(EmbeddedWebSocket.serverFrame(ch).payload()).as("the next read gets its own").containsExactly(0);
        assertThat(ch.isOpen()).isTrue();
    }

    /** Lowers {@link #ch}'s water marks and writes (unflushed) twice the high one; returns how much was written. */
    private int fillOutboundBuffer() {
        int highWaterMark = 16;
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(highWaterMark / 2, highWaterMark));
        ch.write(Unpooled.wrappedBuffer(new byte[highWaterMark * 2]));
        assertThat(ch.isWritable()).isFalse();
        return highWaterMark * 2;
    }

    @Test
    void noPongGoesOntoAFullOutboundBuffer() {
        channel(1024);
        establishOverWebSocket();
        int written = fillOutboundBuffer();
        // The attack: a client that does not read, sending empty pings (89 80 00 00 00 00).
        for (int i = 0; i < 100; i++) {
            ch.writeInbound(maskedFrame(EmbeddedWebSocket.PING, new byte[0]));
        }
        ch.runPendingTasks();
        assertThat(ch.outboundMessages()).as("nothing written, so nothing flushed").isEmpty();

        ch.flush();
        assertThat(EmbeddedWebSocket.serverFrame(ch).payload()).hasSize(written);
        assertThat(EmbeddedWebSocket.serverFrame(ch)).as("and nothing after it").isNull();
        pings(1);
        assertThat(EmbeddedWebSocket.serverFrame(ch).first()).as("answered once it can be").isEqualTo(EmbeddedWebSocket.PONG);
    }

    @Test
    void aPongIsWrittenThroughTheSlowReaderCap() {
        int highWaterMark = 16;
        channel(config(1024).writeBufferWaterMarks(highWaterMark / 2, highWaterMark)
                .maxPendingOutboundBytes(highWaterMark));
        establishOverWebSocket();
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(highWaterMark / 2, highWaterMark));
        // A pong of a control frame's largest payload takes the buffer past the cap: it goes out as any write does.
        ch.writeInbound(maskedFrame(EmbeddedWebSocket.PING, new byte[125]));
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(metrics.kicks(KickCode.SLOW_READER)).isEqualTo(1);
    }

    @Test
    void clientGoneMidHttpRequestIsNoWarning() {
        // Found by GatePipelineFuzzTest: the HTTP aggregator reports the close as PrematureChannelClosureException,
        // which the gate logged as an unexpected error with its stack trace, once per such client.
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger logger = (Logger) LoggerFactory.getLogger(GateExceptionHandler.class);
        logger.addAppender(logged);
        try {
            channel(1024);
            ch.writeInbound(Unpooled.copiedBuffer("POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n{",
                    StandardCharsets.US_ASCII));
            ch.close();
            ch.runPendingTasks();
            assertThat(logged.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
        } finally {
            logger.detachAppender(logged);
        }
    }

    @Test
    void garbageThatIsNeitherProtocolCloses() throws Exception {
        channel(1024);
        ch.writeInbound(hex("ff ff"));
        assertKicked("unknown protocol (first byte 255)");
    }

    @Test
    void oversizedLengthsFromManyClientsAddNoMetricSeriesAndOneLogLinePerInterval() {
        channel(64);
        int series = meters.find("switchboard.gate.kicks").counters().size();
        Logger log = (Logger) LoggerFactory.getLogger(GateExceptionHandler.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        log.setLevel(Level.INFO);
        log.setAdditive(false);
        try {
            for (int length = 65; length < 65 + 300; length++) {
                EmbeddedChannel attacker = connect();
                attacker.writeInbound(Unpooled.buffer().writeByte(PackageType.DATA.code()).writeMedium(length));
                assertThat(attacker.isOpen()).isFalse();
            }
            assertThat(meters.find("switchboard.gate.kicks").counters()).hasSize(series);
            assertThat(meters.get("switchboard.gate.kicks").tag("reason", "body_too_large").counter().count())
                    .isEqualTo(300);
            assertThat(lines.list).hasSize(1);

            ticker.advance(KickLog.INTERVAL);
            connect().writeInbound(Unpooled.buffer().writeByte(PackageType.DATA.code()).writeMedium(1000));
            assertThat(lines.list).hasSize(2);
            assertThat(lines.list.get(1).getFormattedMessage()).contains("body too large: 1000 bytes, limit 64")
                    .contains("299 more like it");
        } finally {
            log.detachAppender(lines);
            log.setLevel(null);
            log.setAdditive(true);
        }
    }

    @Test
    void kicksFromApplicationsCountAsSuchWhateverTheirText() throws Exception {
        channel(1024);
        establish();
        channels.all().iterator().next().kick("you were rude at 12:03:44");
        assertKicked("you were rude at 12:03:44");
        assertThat(metrics.kicks(KickCode.KICKED_BY_APP)).isEqualTo(1);
        assertThat(meters.find("switchboard.gate.kicks").tag("reason", "you were rude at 12:03:44").counter())
                .isNull();
    }

    @Test
    void aSilentConnectionIsClosedAtTheHandshakeDeadlineAndNotBefore() {
        channel(1024);
        advance(HANDSHAKE_TIMEOUT.minusMillis(1));
        assertThat(ch.isOpen()).isTrue();
        advance(CHECK);
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.outboundMessages()).as("no transport known, so nothing to say").isEmpty();
        assertThat(metrics.kicks(KickCode.HANDSHAKE_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void heartbeatsBeforeTheHandshakeDoNotExtendTheDeadline() throws Exception {
        channel(1024);
        Duration step = Duration.ofSeconds(1);
        Duration elapsed = Duration.ZERO;
        while (elapsed.plus(step).compareTo(HANDSHAKE_TIMEOUT) < 0) {
            ch.writeInbound(hex("03 00 00 00"));
            advance(step);
            elapsed = elapsed.plus(step);
            assertThat(ch.isOpen()).isTrue();
        }
        ch.writeInbound(hex("03 00 00 00"));
        advance(HANDSHAKE_TIMEOUT.minus(elapsed).minusMillis(1));
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.outboundMessages()).as("heartbeats before the handshake are not answered").isEmpty();
        advance(CHECK);
        assertKicked(KickReasons.HANDSHAKE_TIMEOUT);
    }

    @Test
    void plaintextOnATlsOptionalPortGetsTheSameDeadline() throws Exception {
        X509Bundle cert = new CertificateBuilder().subject("CN=localhost").setIsCertificateAuthority(true)
                .buildSelfSigned();
        SslContext ssl = SslContextBuilder.forServer(cert.getKeyPair().getPrivate(), cert.getCertificate()).build();
        channel(config(1024).sslContext(ssl).allowPlaintext(true));
        EmbeddedChannel silent = connect();
        // Too few bytes to tell TLS from plaintext: the sniffer waits for more.
        ch.writeInbound(hex("03 00 00"));
        advance(HANDSHAKE_TIMEOUT.minusMillis(1));
        assertThat(ch.isOpen()).isTrue();
        assertThat(silent.isOpen()).isTrue();
        advance(CHECK);
        assertThat(ch.isOpen()).isFalse();
        assertThat(silent.isOpen()).isFalse();
        assertThat(metrics.kicks(KickCode.HANDSHAKE_TIMEOUT)).isEqualTo(2);
    }

    @Test
    void anUnfinishedWebSocketUpgradeIsClosedAtTheDeadlineWithoutAPomeloPackage() {
        channel(1024);
        ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n", StandardCharsets.US_ASCII));
        advance(HANDSHAKE_TIMEOUT.minusMillis(1));
        assertThat(ch.isOpen()).isTrue();
        advance(CHECK);
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.outboundMessages()).as("a kick package would be garbage in an HTTP response")
                .noneMatch(out -> out instanceof ByteBuf || out instanceof BinaryWebSocketFrame);
        assertThat(disconnects).as("no session was ever made").isEmpty();
    }

    @Test
    void theDeadlineEndsWithTheHandshake() throws Exception {
        channel(1024);
        advance(HANDSHAKE_TIMEOUT.minusSeconds(1));
        establish();
        advance(HANDSHAKE_TIMEOUT);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void aHandshakeOverItsLimitIsRefusedBeforeItsBodyArrives() throws Exception {
        channel(1 << 20);
        int tooLong = GateConfig.DEFAULT_MAX_HANDSHAKE_LENGTH + 1;
        ch.writeInbound(Unpooled.buffer().writeByte(PackageType.HANDSHAKE.code()).writeMedium(tooLong));
        assertKicked("handshake too large: " + tooLong + " bytes, limit " + GateConfig.DEFAULT_MAX_HANDSHAKE_LENGTH);
        assertThat(metrics.kicks(KickCode.HANDSHAKE_TOO_LARGE)).isEqualTo(1);
    }

    @Test
    void aHandshakeOfTheLimitIsAccepted() throws Exception {
        channel(1 << 20);
        String head = "{\"sys\":{\"type\":\"t\"},\"user\":{\"pad\":\"";
        String tail = "\"}}";
        String json = head + "x".repeat(GateConfig.DEFAULT_MAX_HANDSHAKE_LENGTH - head.length() - tail.length()) + tail;
        assertThat(handshake(json).get("code").asInt()).isEqualTo(HandshakeResponse.CODE_OK);
    }

    @Test
    void aConnectionOverTheCapIsClosedAtOnceAndCounted() {
        channel(config(1024).maxConnections(2));
        EmbeddedChannel second = connect();
        EmbeddedChannel third = connect();
        assertThat(ch.isOpen()).isTrue();
        assertThat(second.isOpen()).isTrue();
        assertThat(third.isOpen()).isFalse();
        assertThat(third.pipeline().get("detector")).as("nothing set up for it").isNull();
        assertThat(metrics.kicks(KickCode.CONNECTION_LIMIT)).isEqualTo(1);
        assertThat(metrics.activeConnections()).isEqualTo(2);

        ch.close();
        assertThat(connect().isOpen()).as("a closed connection frees its place").isTrue();
    }

    @Test
    void aConnectionOverThePerAddressCapIsClosedAtOnceAndCounted() throws Exception {
        channel(config(1024).maxConnectionsPerIp(2));
        EmbeddedChannel first = connect("10.0.0.1");
        assertThat(connect("10.0.0.1").isOpen()).isTrue();
        EmbeddedChannel third = connect("10.0.0.1");
        assertThat(third.isOpen()).isFalse();
        assertThat(connect("10.0.0.2").isOpen()).as("another address has its own count").isTrue();
        assertThat(metrics.kicks(KickCode.IP_CONNECTION_LIMIT)).isEqualTo(1);
        assertThat(metrics.kicks(KickCode.CONNECTION_LIMIT)).isZero();

        first.close();
        assertThat(connect("10.0.0.1").isOpen()).isTrue();
    }

    /** Sends {@code count} heartbeats at once; returns how many were answered. */
    private int heartbeatAnswers(int count) {
        for (int i = 0; i < count; i++) {
            ch.writeInbound(hex("03 00 00 00"));
        }
        ch.runPendingTasks();
        int answers = 0;
        for (ByteBuf out = ch.readOutbound(); out != null; out = ch.readOutbound()) {
            assertThat(ByteBufUtil.hexDump(out)).isEqualTo("03000000");
            out.release();
            answers++;
        }
        return answers;
    }

    @Test
    void aHeartbeatFloodGetsAtMostOneAnswerPerInterval() throws Exception {
        channel(1024);
        establish();
        assertThat(heartbeatAnswers(50)).isEqualTo(1);
        advance(HEARTBEAT.dividedBy(2));
        assertThat(heartbeatAnswers(50)).isZero();
        advance(HEARTBEAT.dividedBy(2));
        assertThat(heartbeatAnswers(50)).isEqualTo(1);
        assertThat(heartbeatAnswers(50)).isZero();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void aClientWhoseTimerFiresALittleEarlyIsStillAnswered() throws Exception {
        channel(1024);
        establish();
        assertThat(heartbeatAnswers(1)).isEqualTo(1);
        advance(HEARTBEAT.minusMillis(50));
        assertThat(heartbeatAnswers(1)).isEqualTo(1);
    }

    @Test
    void noHeartbeatAnswerGoesOntoAFullOutboundBuffer() throws Exception {
        channel(1024);
        establish();
        int written = fillOutboundBuffer();
        assertThat(heartbeatAnswers(1)).isZero();

        ch.flush();
        ByteBuf pending = ch.readOutbound();
        assertThat(pending.readableBytes()).isEqualTo(written);
        pending.release();
        assertThat(heartbeatAnswers(1)).as("the answer was not spent on nothing").isEqualTo(1);
    }

    /** A notify package whose body is zlib-compressed, with the flag that says so. */
    private static ByteBuf compressedNotify(String route, String body) {
        return compressedNotify(route, body.getBytes(StandardCharsets.UTF_8));
    }

    private static ByteBuf compressedNotify(String route, byte[] body) {
        PomeloMessage message = PomeloMessage.notify(route, Unpooled.wrappedBuffer(body));
        try {
            return PomeloMessageCodec.encodePackage(UnpooledByteBufAllocator.DEFAULT, message, null, true);
        } finally {
            message.release();
        }
    }

    @Test
    void aCompressedMessageFromAClientThatDidNotNegotiateCompressionClosesIt() throws Exception {
        channel(1024);
        establish();
        ch.writeInbound(compressedNotify("a", "{\"x\":1}"));
        assertKicked("compressed body, but compression was not negotiated");
        assertThat(received).isEmpty();
        assertThat(metrics.kicks(KickCode.COMPRESSION_NOT_NEGOTIATED)).isEqualTo(1);
    }

    @Test
    void aClientThatNegotiatedCompressionMaySendCompressedBodies() throws Exception {
        channel(1024);
        handshake("{\"sys\":{\"type\":\"t\",\"compress\":true}}");
        ch.writeInbound(hex("02 00 00 00"));
        readAndKeep().release();
        ch.writeInbound(compressedNotify("a", "{\"x\":1}"));
        assertThat(received).hasSize(1);
        assertThat(received.get(0).content().toString(StandardCharsets.UTF_8)).isEqualTo("{\"x\":1}");
    }

    /** A session that asked for compression, over TCP. */
    private void establishCompressed() throws Exception {
        handshake("{\"sys\":{\"type\":\"t\",\"compress\":true}}");
        ch.writeInbound(hex("02 00 00 00"));
        readAndKeep().release();
    }

    @Test
    void compressedBodiesOfOneReadInflateToAtMostTheBodyCap() throws Exception {
        int maxBody = 1 << 20;
        channel(maxBody);
        establishCompressed();
        // Eight notifies of about a kilobyte each that would inflate to a megabyte each, all in one read.
        ByteBuf read = Unpooled.buffer();
        for (int i = 0; i < 8; i++) {
            ByteBuf notify = compressedNotify("a", new byte[maxBody]);
            read.writeBytes(notify);
            notify.release();
        }
        assertThat(read.readableBytes()).isLessThan(64 * 1024);
        ch.writeInbound(read);
        assertThat(received.stream().mapToLong(m -> m.content().readableBytes()).sum()).isLessThanOrEqualTo(maxBody);
        String[] kick = readPackage();
        assertThat(kick[0]).isEqualTo(String.valueOf(PackageType.KICK.code()));
        assertThat(Json.MAPPER.readTree(kick[1]).get("reason").asText())
                .startsWith("compressed bodies of one read too large");
        assertThat(ch.isOpen()).isFalse();
        assertThat(metrics.kicks(KickCode.BODY_TOO_LARGE)).isEqualTo(1);
    }

    @Test
    void eachReadHasAnInflationBudgetOfItsOwn() throws Exception {
        int maxBody = 64 * 1024;
        channel(maxBody);
        establishCompressed();
        for (int i = 0; i < 3; i++) {
            ch.writeInbound(compressedNotify("a", new byte[maxBody]));
        }
        assertThat(received).hasSize(3);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void ipv6ClientsAreCountedByTheirSlash64() throws Exception {
        channel(config(1024).maxConnectionsPerIp(2));
        EmbeddedChannel first = connect("2001:db8:1:2::1");
        assertThat(connect("2001:db8:1:2:ffff::2").isOpen()).isTrue();
        assertThat(connect("2001:db8:1:2:aaaa:bbbb:cccc:dddd").isOpen()).as("a third address of the same /64")
                .isFalse();
        assertThat(connect("2001:db8:1:3::1").isOpen()).as("another /64 has its own count").isTrue();
        assertThat(metrics.kicks(KickCode.IP_CONNECTION_LIMIT)).isEqualTo(1);

        first.close();
        assertThat(connect("2001:db8:1:2::9").isOpen()).as("a closed connection frees its /64's place").isTrue();
    }

    @Test
    void aWebSocketFrameBeforeTheHandshakeIsHeldToTheHandshakeCapAtItsHeader() throws Exception {
        channel(1 << 20);
        EmbeddedWebSocket.upgrade(ch);
        int cap = GateChannelInitializer.maxFirstFrame(GateConfig.builder().build());
        // Only the header: the gate must not wait for (and buffer) a payload it would refuse.
        ch.writeInbound(EmbeddedWebSocket.frameHeader(EmbeddedWebSocket.BINARY, cap + 1));
        byte[] kick = serverFrame();
        assertThat(kick[0]).isEqualTo((byte) PackageType.KICK.code());
        assertThat(new String(kick, 4, kick.length - 4, StandardCharsets.UTF_8))
                .contains("handshake too large: " + (cap + 1) + " bytes, limit " + cap);
        assertThat(ch.isOpen()).isFalse();
        assertThat(metrics.kicks(KickCode.HANDSHAKE_TOO_LARGE)).isEqualTo(1);
    }

    @Test
    void aFragmentedMessageBeforeTheHandshakeIsRefusedAtItsFirstFrame() throws Exception {
        channel(1 << 20);
        EmbeddedWebSocket.upgrade(ch);
        int cap = GateChannelInitializer.maxFirstFrame(GateConfig.builder().build());
        // A binary frame without FIN, under the cap: its continuations would add up in the aggregator behind.
        int binaryWithoutFin = EmbeddedWebSocket.BINARY & ~WebSocketFrameLayout.FIN_FLAG;
        ch.writeInbound(maskedFrame(binaryWithoutFin, new byte[cap - 8]));
        assertThat(ch.isOpen()).isFalse();
        assertThat(metrics.kicks(KickCode.BAD_FRAME)).isEqualTo(1);

        // A lone continuation frame is refused the same way.
        EmbeddedChannel second = connect();
        EmbeddedWebSocket.upgrade(second);
        second.writeInbound(maskedFrame(WebSocketFrameLayout.FIN_FLAG | WebSocketFrameLayout.CONTINUATION_OPCODE,
                new byte[16]));
        assertThat(second.isOpen()).isFalse();
        assertThat(metrics.kicks(KickCode.BAD_FRAME)).isEqualTo(2);
    }

    @Test
    void aWebSocketFrameOfTheHandshakeCapIsReadAndOnceEstablishedFramesMayCarryWholeBodies() throws Exception {
        channel(1 << 20);
        EmbeddedWebSocket.upgrade(ch);
        int cap = GateChannelInitializer.maxFirstFrame(GateConfig.builder().build());
        // A handshake padded to fill the frame: refused as a package over the handshake cap, not as a frame.
        String head = "{\"sys\":{\"type\":\"t\"},\"user\":{\"pad\":\"";
        ByteBuf padded = pkg(PackageType.HANDSHAKE, head + "x".repeat(cap - 4 - head.length() - 3) + "\"}}");
        assertThat(padded.readableBytes()).isEqualTo(cap);
        EmbeddedChannel second = connect();
        EmbeddedWebSocket.upgrade(second);
        second.writeInbound(maskedFrame(EmbeddedWebSocket.BINARY, ByteBufUtil.getBytes(padded)));
        padded.release();
        assertThat(metrics.kicks(KickCode.HANDSHAKE_TOO_LARGE)).isEqualTo(1);
        assertThat(metrics.kicks(KickCode.BAD_FRAME)).isZero();

        ByteBuf handshake = pkg(PackageType.HANDSHAKE, "{\"sys\":{\"type\":\"t\"}}");
        ByteBuf ack = hex("02 00 00 00");
        ch.writeInbound(maskedFrame(EmbeddedWebSocket.BINARY, ByteBufUtil.getBytes(handshake)));
        serverFrame();
        // The ack and a notify of a 100 KiB body in one read: the cap rises between the two frames.
        byte[] body = new byte[100 * 1024];
        ByteBuf notify = Unpooled.buffer().writeByte(PackageType.DATA.code()).writeMedium(3 + body.length)
                .writeByte(MessageFlags.typeBits(io.switchboard.protocol.MessageType.NOTIFY)).writeByte(1)
                .writeByte('a').writeBytes(body);
        ByteBuf read = Unpooled.buffer();
        for (ByteBuf frame : List.of(maskedFrame(EmbeddedWebSocket.BINARY, ByteBufUtil.getBytes(ack)),
                maskedFrame(EmbeddedWebSocket.BINARY, ByteBufUtil.getBytes(notify)))) {
            read.writeBytes(frame);
            frame.release();
        }
        handshake.release();
        ack.release();
        notify.release();
        ch.writeInbound(read);
        assertThat(ch.isOpen()).isTrue();
        assertThat(received).hasSize(1);
        assertThat(received.get(0).content().readableBytes()).isEqualTo(body.length);
    }

    /** Writes {@code bytes} to {@link #ch} one byte a read, and releases them. */
    private void writeByteByByte(ByteBuf bytes) {
        while (bytes.isReadable()) {
            ch.writeInbound(bytes.readRetainedSlice(1));
        }
        bytes.release();
    }

    @Test
    void webSocketFramesSplitAtEveryByteAreFollowedAcrossTheCap() throws Exception {
        channel(1024);
        EmbeddedWebSocket.upgrade(ch);
        ByteBuf handshake = pkg(PackageType.HANDSHAKE, "{\"sys\":{\"type\":\"t\"}}");
        ByteBuf read = Unpooled.buffer();
        // A ping first: the frames after it must still be found where they start.
        for (ByteBuf frame : List.of(maskedFrame(EmbeddedWebSocket.PING, new byte[] {7}),
                maskedFrame(EmbeddedWebSocket.BINARY, ByteBufUtil.getBytes(handshake)))) {
            read.writeBytes(frame);
            frame.release();
        }
        handshake.release();
        writeByteByByte(read);
        EmbeddedWebSocket.ServerFrame pong = EmbeddedWebSocket.serverFrame(ch);
        assertThat(pong.first()).isEqualTo(EmbeddedWebSocket.PONG);
        assertThat(serverFrame()[0]).isEqualTo((byte) PackageType.HANDSHAKE.code());
        ByteBuf notify = Unpooled.buffer().writeByte(PackageType.DATA.code()).writeMedium(3 + 200)
                .writeByte(MessageFlags.typeBits(io.switchboard.protocol.MessageType.NOTIFY)).writeByte(1)
                .writeByte('a').writeZero(200);
        ByteBuf frames = Unpooled.buffer();
        for (ByteBuf frame : List.of(maskedFrame(EmbeddedWebSocket.BINARY, ByteBufUtil.decodeHexDump("02000000")),
                maskedFrame(EmbeddedWebSocket.BINARY, ByteBufUtil.getBytes(notify)))) {
            frames.writeBytes(frame);
            frame.release();
        }
        notify.release();
        writeByteByByte(frames);
        assertThat(ch.isOpen()).isTrue();
        assertThat(received).hasSize(1);
        assertThat(received.get(0).content().readableBytes()).isEqualTo(200);
    }
}
